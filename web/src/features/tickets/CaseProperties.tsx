import { forwardRef, useImperativeHandle, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority, type Ticket, type TicketStatus, type User } from '../../app/api.types.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { allowedTransitions } from './ticket-status.ts';
import { useUpdateTicket } from './tickets.api.ts';
import { SelectField } from '../../ui/SelectField.tsx';
import { useTeams } from './links.api.ts';
import { TagEditor } from './TagEditor.tsx';

const SUPPORT_LINES = ['L1', 'L2', 'L3'] as const;

export type PropertiesHandle = { focusStatus(): void; focusPriority(): void; assignToMe(): void };

/** Status (only the moves the state machine allows), priority, assignee, team, support line and tags. */
export const CaseProperties = forwardRef<PropertiesHandle, { ticket: Ticket; users: Map<string, User> | undefined; me: User }>(function CaseProperties({ ticket, users, me }, ref) {
  const { t } = useTranslation();
  const update = useUpdateTicket(ticket.id);
  const status = useRef<HTMLSelectElement>(null);
  const priority = useRef<HTMLSelectElement>(null);
  const moves = allowedTransitions(ticket.status);
  const teams = useTeams();
  const isClosed = ticket.status === 'closed';
  const agents = [...(users?.values() ?? [])].filter((user) => user.kind === 'agent').sort((a, b) => a.name.localeCompare(b.name));
  const assignToMe = () => ticket.assigneeId !== me.id && update.mutate({ assigneeId: me.id });
  useImperativeHandle(ref, () => ({ focusStatus: () => status.current?.focus(), focusPriority: () => priority.current?.focus(), assignToMe }));

  return (
    <section className="panel properties" aria-labelledby="properties-title">
      <h2 id="properties-title">{t('ticket.properties')}</h2>
      <SelectField label={t('ticket.status')} ref={status} value={ticket.status} disabled={moves.length === 0 || update.isPending} onChange={(event) => update.mutate({ status: event.target.value as TicketStatus })}>
          <option value={ticket.status}>{t(`status.${ticket.status}`)}</option>
          {moves.map((to) => (
            <option key={to} value={to}>
              {t('ticket.moveTo', { status: t(`status.${to}`) })}
            </option>
          ))}
      </SelectField>
      <SelectField label={t('ticket.priority')} ref={priority} value={ticket.priority} disabled={update.isPending} onChange={(event) => update.mutate({ priority: event.target.value as Priority })}>
          {PRIORITIES.map((value) => (
            <option key={value} value={value}>
              {value} — {t(`priority.short.${value}`)}
            </option>
          ))}
      </SelectField>
      <SelectField label={t('ticket.assignee')} value={ticket.assigneeId ?? ''} disabled={update.isPending} onChange={(event) => update.mutate({ assigneeId: event.target.value || null })}>
          <option value="">{t('ticket.unassigned')}</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
              {agent.supportLine ? ` (${agent.supportLine}${agent.senior ? `, ${t('workload.senior')}` : ''})` : ''}
            </option>
          ))}
      </SelectField>
      <SelectField label={t('ticket.team')} value={ticket.teamId ?? ''} disabled={update.isPending || isClosed} onChange={(event) => update.mutate({ teamId: event.target.value || null })}>
          <option value="">{t('ticket.noTeam')}</option>
          {teams.data?.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
      </SelectField>
      <SelectField label={t('ticket.line')} value={ticket.supportLine ?? ''} disabled={update.isPending || isClosed} onChange={(event) => update.mutate({ supportLine: (event.target.value || null) as Ticket['supportLine'] })}>
          <option value="">{t('ticket.noLine')}</option>
          {SUPPORT_LINES.map((line) => (
            <option key={line} value={line}>
              {t(`ticket.lines.${line}`)}
            </option>
          ))}
      </SelectField>
      <TagEditor tags={ticket.tags} disabled={update.isPending || isClosed} onChange={(tags) => update.mutate({ tags })} />
      <button type="button" className="button small" onClick={assignToMe} disabled={ticket.assigneeId === me.id || update.isPending} aria-keyshortcuts="a">
        {t('ticket.assignToMe')}
      </button>
      {update.isError && <ErrorMessage error={update.error} />}
      <dl className="facts">
        <div>
          <dt>{t('ticket.product')}</dt>
          <dd>{ticket.product ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('ticket.channel')}</dt>
          <dd>{ticket.channel}</dd>
        </div>
      </dl>
    </section>
  );
});
