import { useTranslation } from 'react-i18next';
import type { Priority, TicketStatus } from '../app/api.types.ts';

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <span className={`badge priority-${priority.toLowerCase()}`} title={t(`priority.explain.${priority}`)}>
      {priority}
    </span>
  );
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}
