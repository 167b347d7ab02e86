import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import type { Ticket, TicketStatus } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { allowedTransitions } from './ticket-status.ts';
import type { TicketChange } from './tickets.api.ts';
import { SelectField } from '../../ui/SelectField.tsx';

/** Assign or move several cases at once; the status list holds only moves every selected case allows. */
export function BulkActions({ selected, meId, onDone }: { selected: Ticket[]; meId: string; onDone(): void }) {
  const { t } = useTranslation();
  const apply = useMutation({
    mutationFn: async (change: TicketChange) => {
      for (const ticket of selected) await api<Ticket>(`/tickets/${ticket.id}`, { method: 'PATCH', body: change });
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['tickets'] }),
    onSuccess: onDone,
  });
  if (selected.length === 0) return null;
  const common = selected.map((ticket) => allowedTransitions(ticket.status)).reduce((all, moves) => all.filter((status) => moves.includes(status)));
  return (
    <div className="bulk-bar" role="region" aria-label={t('bulk.label')}>
      <strong>{t('bulk.selected', { count: selected.length })}</strong>
      <button type="button" className="button small" disabled={apply.isPending} onClick={() => apply.mutate({ assigneeId: meId })}>
        {t('ticket.assignToMe')}
      </button>
      <SelectField label={t('bulk.setStatus')} inline value="" disabled={apply.isPending || common.length === 0} onChange={(event) => event.target.value && apply.mutate({ status: event.target.value as TicketStatus })}>
          <option value="">—</option>
          {common.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
      </SelectField>
      {apply.isError && <ErrorMessage error={apply.error} />}
    </div>
  );
}
