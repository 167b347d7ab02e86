import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Message, Rating } from '../../app/api.types.ts';
import { useMe } from '../../app/session.tsx';
import { PriorityBadge, StatusBadge } from '../../ui/Badges.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useFormat } from '../../ui/format.ts';
import { ThumbDownIcon, ThumbUpIcon } from '../../ui/icons.tsx';
import { pageState } from '../../ui/PageState.tsx';
import { Composer } from '../tickets/Composer.tsx';
import { Conversation } from '../tickets/Conversation.tsx';
import { useMessages, useRateMessage, useRatings, useTicket, useUpdateTicket, useUsers } from '../tickets/tickets.api.ts';

function RateAnswer({ ticketId, message, rating }: { ticketId: string; message: Message; rating: Rating | undefined }) {
  const { t } = useTranslation();
  const rate = useRateMessage(ticketId);
  const [choice, setChoice] = useState<'good' | 'bad' | null>(rating?.rating ?? null);
  const [comment, setComment] = useState(rating?.comment ?? '');
  const [isEditing, setEditing] = useState(!rating);
  if (rating && !isEditing) {
    return (
      <div className={`rating-summary ${rating.rating}`}>
        <span>{t(rating.rating === 'good' ? 'rating.youRatedGood' : 'rating.youRatedBad')}</span>
        {rating.comment && <span> — “{rating.comment}”</span>}{' '}
        <button type="button" className="button link" onClick={() => setEditing(true)}>
          {t('rating.change')}
        </button>
      </div>
    );
  }
  const idBase = `rate-${message.id}`;
  return (
    <form
      className="rating"
      aria-labelledby={`${idBase}-question`}
      onSubmit={(event) => {
        event.preventDefault();
        if (choice) rate.mutate({ messageId: message.id, rating: choice, comment }, { onSuccess: () => setEditing(false) });
      }}
    >
      <p id={`${idBase}-question`} className="rating-question">
        {t('rating.question')}
      </p>
      <div className="rating-choices" role="group" aria-labelledby={`${idBase}-question`}>
        <button type="button" className={`button small ${choice === 'good' ? 'selected good' : ''}`} aria-pressed={choice === 'good'} onClick={() => setChoice('good')}>
          <ThumbUpIcon /> {t('rating.good')}
        </button>
        <button type="button" className={`button small ${choice === 'bad' ? 'selected bad' : ''}`} aria-pressed={choice === 'bad'} onClick={() => setChoice('bad')}>
          <ThumbDownIcon /> {t('rating.bad')}
        </button>
      </div>
      {choice && (
        <>
          <label className="field">
            <span>{t('rating.comment')}</span>
            <textarea rows={2} value={comment} onChange={(event) => setComment(event.target.value)} maxLength={2000} />
          </label>
          <button type="submit" className="button primary small" disabled={rate.isPending}>
            {t('rating.send')}
          </button>
        </>
      )}
      {rate.isError && <ErrorMessage error={rate.error} />}
    </form>
  );
}

/** A customer's case: the public conversation (live), reply, close, and a rating on each agent answer. */
export default function PortalCasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const format = useFormat();
  const ticket = useTicket(id);
  const messages = useMessages(id);
  const users = useUsers();
  const ratings = useRatings(id);
  const update = useUpdateTicket(id);
  const pending = pageState(ticket, 'page portal');
  if (pending || !ticket.data) return pending;
  const data = ticket.data;
  const isDone = data.status === 'solved' || data.status === 'closed';
  // An answer from support: public, and not written by anyone this contact can see in their own organisation.
  const isSupportAnswer = (message: Message) => !message.internal && message.authorId !== null && message.authorId !== me.id && users.data?.get(message.authorId)?.kind !== 'contact';

  return (
    <main id="main" className="page portal portal-case">
      <Link to="/portal" className="back">
        ← {t('nav.myCases')}
      </Link>
      <h1>
        <span className="number">#{data.number}</span> {data.subject}
      </h1>
      <p className="case-meta">
        <PriorityBadge priority={data.priority} /> <StatusBadge status={data.status} /> <span className="muted">{t('portal.opened', { time: format.dateTime(data.createdAt) })}</span>
        {data.product && <span className="muted"> · {data.product}</span>}
      </p>
      {messages.isError && <ErrorMessage error={messages.error} onRetry={() => void messages.refetch()} />}
      {messages.data && (
        <Conversation
          messages={messages.data}
          users={users.data}
          meId={me.id}
          renderAfter={(message) =>
            isSupportAnswer(message) && ratings.data ? <RateAnswer ticketId={data.id} message={message} rating={ratings.data.find((rating) => rating.messageId === message.id)} /> : null
          }
        />
      )}
      {data.status !== 'closed' && <Composer ticketId={data.id} allowNotes={false} />}
      <div className="case-actions">
        {!isDone && (
          <button type="button" className="button" disabled={update.isPending} onClick={() => update.mutate({ status: 'solved' })}>
            {t('portal.closeCase')}
          </button>
        )}
        {data.status === 'solved' && (
          <button type="button" className="button" disabled={update.isPending} onClick={() => update.mutate({ status: 'open' })}>
            {t('portal.reopen')}
          </button>
        )}
        {update.isError && <ErrorMessage error={update.error} />}
      </div>
    </main>
  );
}
