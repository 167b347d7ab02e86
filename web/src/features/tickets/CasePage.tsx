import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useMe } from '../../app/session.tsx';
import { PriorityBadge, StatusBadge } from '../../ui/Badges.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useFormat } from '../../ui/format.ts';
import { pageState } from '../../ui/PageState.tsx';
import { useShortcuts } from '../../ui/shortcuts.ts';
import { OrganizationPanel } from '../accounts/OrganizationPanel.tsx';
import { CaseProperties, type PropertiesHandle } from './CaseProperties.tsx';
import { Composer, type ComposerHandle } from './Composer.tsx';
import { Conversation } from './Conversation.tsx';
import { LinksPanel } from './LinksPanel.tsx';
import { CollisionNotice, useAnnouncePresence } from './presence.tsx';
import { SlaPanel } from './SlaPanel.tsx';
import { Timeline } from './Timeline.tsx';
import { useMessages, useRatings, useTicket, useUsers } from './tickets.api.ts';

/** The agent's case view: conversation and composer, with properties, SLA and the account beside. */
export default function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const format = useFormat();
  const ticket = useTicket(id);
  const messages = useMessages(id);
  const users = useUsers();
  const ratings = useRatings(id);
  const onTyping = useAnnouncePresence(id);
  const composer = useRef<ComposerHandle>(null);
  const properties = useRef<PropertiesHandle>(null);
  useShortcuts({
    r: () => composer.current?.focus('reply'),
    n: () => composer.current?.focus('note'),
    a: () => properties.current?.assignToMe(),
    s: () => properties.current?.focusStatus(),
    p: () => properties.current?.focusPriority(),
    u: () => navigate(-1),
  });

  const pending = pageState(ticket);
  if (pending || !ticket.data) return pending;
  const data = ticket.data;
  const requester = users.data?.get(data.requesterId);
  return (
    <main id="main" className="page case-page">
      <div className="case-head">
        <Link to="/queues/all-open" className="back">
          ← {t('nav.queues')}
        </Link>
        <h1>
          <span className="number">#{data.number}</span> {data.subject}
        </h1>
        <p className="case-meta">
          {data.isPanic && <span className="badge panic">{t('panic.badge')}</span>} <PriorityBadge priority={data.priority} /> <StatusBadge status={data.status} />{' '}
          <span>{t('ticket.openedBy', { name: requester?.name ?? '…', time: format.dateTime(data.createdAt) })}</span>
        </p>
      </div>
      <CollisionNotice ticketId={data.id} meId={me.id} />
      <div className="case-layout">
        <section className="case-main" aria-labelledby="conversation-title">
          <h2 id="conversation-title" className="visually-hidden">
            {t('conversation.label')}
          </h2>
          {messages.isError && <ErrorMessage error={messages.error} onRetry={() => void messages.refetch()} />}
          {messages.data && (
            <Conversation
              messages={messages.data}
              users={users.data}
              meId={me.id}
              renderAfter={(message) => {
                const rating = ratings.data?.find((item) => item.messageId === message.id);
                if (!rating) return null;
                return (
                  <p className={`rating-summary ${rating.rating}`}>
                    {t(rating.rating === 'good' ? 'rating.ratedGood' : 'rating.ratedBad')}
                    {rating.comment && <> — “{rating.comment}”</>}
                  </p>
                );
              }}
            />
          )}
          <Composer ref={composer} ticketId={data.id} allowNotes disabled={data.status === 'closed'} onTyping={onTyping} />
        </section>
        <aside className="case-side" aria-label={t('ticket.details')}>
          <CaseProperties ref={properties} ticket={data} users={users.data} me={me} />
          <SlaPanel ticketId={data.id} />
          <LinksPanel ticketId={data.id} disabled={data.status === 'closed'} />
          <OrganizationPanel ticket={data} users={users.data} />
          <Timeline ticketId={data.id} users={users.data} />
        </aside>
      </div>
    </main>
  );
}
