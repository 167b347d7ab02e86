import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message, User } from '../../app/api.types.ts';
import { useFormat } from '../../ui/format.ts';
import { PaperclipIcon } from '../../ui/icons.tsx';

/** The earlier mails an e-mailed reply quoted: collapsed by default, one click away. */
function QuotedText({ messageId, text }: { messageId: string; text: string }) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const id = `quoted-${messageId}`;
  return (
    <div className="quoted">
      <button type="button" className="button small plain quoted-toggle" aria-expanded={isOpen} aria-controls={id} onClick={() => setOpen((open) => !open)}>
        {isOpen ? t('conversation.hideQuoted') : t('conversation.showQuoted')}
      </button>
      <blockquote id={id} className="quoted-body" hidden={!isOpen}>
        {text}
      </blockquote>
    </div>
  );
}

/**
 * The case conversation, oldest first. Public replies and internal notes look clearly different
 * (notes: amber, labelled, never shown to customers — the server does not even send them).
 */
export function Conversation(props: { messages: Message[]; users: Map<string, User> | undefined; meId: string; renderAfter?: (message: Message) => ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const authorName = (message: Message) => {
    if (!message.authorId) return t('conversation.system');
    if (message.authorId === props.meId) return t('conversation.you');
    return props.users?.get(message.authorId)?.name ?? t('conversation.supportTeam');
  };
  if (props.messages.length === 0) return <p className="empty">{t('conversation.empty')}</p>;
  return (
    <ol className="conversation" aria-label={t('conversation.label')}>
      {props.messages.map((message) => (
        <li key={message.id} className={`message ${message.internal ? 'internal' : 'public'}`} data-message-id={message.id}>
          <article aria-label={message.internal ? t('conversation.internalNote') : t('conversation.publicReply')}>
            <header className="message-head">
              <strong>{authorName(message)}</strong>
              <span className={`message-kind ${message.internal ? 'internal' : 'public'}`}>{message.internal ? t('conversation.internalNote') : t('conversation.publicReply')}</span>
              <time dateTime={message.createdAt}>{format.dateTime(message.createdAt)}</time>
            </header>
            <div className="message-body">{message.body}</div>
            {typeof message.quotedBody === 'string' && message.quotedBody.trim() !== '' && <QuotedText messageId={message.id} text={message.quotedBody} />}
            {message.attachments?.length > 0 && (
              <ul className="attached" aria-label={t('conversation.attachments')}>
                {message.attachments.map((file) => (
                  <li key={file.id}>
                    <a href={`/api/v1/attachments/${file.id}`} target="_blank" rel="noreferrer">
                      <PaperclipIcon /> {file.filename}
                    </a>{' '}
                    <span className="muted">({Math.max(1, Math.round(file.size / 1024))} kB)</span>
                  </li>
                ))}
              </ul>
            )}
            {props.renderAfter?.(message)}
          </article>
        </li>
      ))}
    </ol>
  );
}
