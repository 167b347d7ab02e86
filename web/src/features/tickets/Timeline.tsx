import { useTranslation } from 'react-i18next';
import type { User } from '../../app/api.types.ts';
import { useFormat } from '../../ui/format.ts';
import { useTimeline } from './tickets.api.ts';

const isChange = (value: unknown): value is { before: unknown; after: unknown } => typeof value === 'object' && value !== null && 'after' in value;

/** The readable part of an audit row: before → after pairs and plain values, without internal ids. */
function describeChanges(changes: Record<string, unknown>): string {
  return Object.entries(changes)
    .filter(([key, value]) => !/(Id|Ids|id)$/.test(key) && value !== null && (typeof value !== 'object' || isChange(value)))
    .slice(0, 4)
    .map(([key, value]) => (isChange(value) ? `${key}: ${String(value.before ?? '—')} → ${String(value.after ?? '—')}` : `${key}: ${String(value)}`))
    .join(', ');
}

/** The audit timeline: who did what, when. */
export function Timeline({ ticketId, users }: { ticketId: string; users: Map<string, User> | undefined }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const timeline = useTimeline(ticketId);
  return (
    <details className="panel timeline">
      <summary>
        <h2>{t('timeline.title')}</h2>
      </summary>
      <ol>
        {timeline.data?.map((entry) => {
          const key = `timeline.actions.${entry.action}`;
          return (
            <li key={entry.id}>
              <time dateTime={entry.createdAt}>{format.dateTime(entry.createdAt)}</time> — <strong>{entry.actorId ? (users?.get(entry.actorId)?.name ?? t('conversation.supportTeam')) : t('conversation.system')}</strong>{' '}
              {i18n.exists(key) ? t(key) : entry.action} <span className="muted">{describeChanges(entry.changes)}</span>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
