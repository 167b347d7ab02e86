import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { FormActions } from '../../ui/FormActions.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { useAdminMutation, type AdminUser, type RoutingStrategy, type Team } from './admin.api.ts';

const STRATEGIES: RoutingStrategy[] = ['manual', 'round-robin', 'least-loaded'];

/** Creates a team or changes its name, members, lead and how its new cases are assigned. */
export function TeamForm({ team, strategy: currentStrategy, agents, onDone }: { team?: Team; strategy?: RoutingStrategy; agents: AdminUser[]; onDone(): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(team?.name ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(team?.memberIds ?? []);
  const [leadId, setLeadId] = useState(team?.leadId ?? '');
  const [strategy, setStrategy] = useState<RoutingStrategy>(currentStrategy ?? 'manual');
  const save = useAdminMutation(
    async () => {
      const body = { name, memberIds, leadId: leadId || null };
      const saved = team ? await api<Team>(`/teams/${team.id}`, { method: 'PATCH', body }) : await api<Team>('/teams', { method: 'POST', body });
      if (strategy !== (currentStrategy ?? 'manual')) await api(`/teams/${saved.id}/routing`, { method: 'PUT', body: { strategy } });
      return saved;
    },
    [['teams'], ['team-routing'], ['users']],
  );
  const toggle = (id: string) => {
    setMemberIds((current) => (current.includes(id) ? current.filter((member) => member !== id) : [...current, id]));
    if (id === leadId && memberIds.includes(id)) setLeadId('');
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(undefined, { onSuccess: onDone });
  };
  const members = agents.filter((agent) => memberIds.includes(agent.id));

  return (
    <form className="form" onSubmit={submit}>
      <label className="field">
        <span>{t('admin.teams.name')}</span>
        <input name="team-name" required value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <fieldset className="choice-row members">
        <legend>{t('admin.teams.members')}</legend>
        {agents.map((agent) => (
          <label key={agent.id}>
            <input type="checkbox" checked={memberIds.includes(agent.id)} onChange={() => toggle(agent.id)} /> {agent.name}
            {agent.supportLine && <span className="muted"> · {agent.supportLine}</span>}
          </label>
        ))}
      </fieldset>
      <SelectField label={t('admin.teams.lead')} value={leadId} onChange={(event) => setLeadId(event.target.value)}>
        <option value="">{t('admin.teams.noLead')}</option>
        {members.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('admin.teams.strategy')} value={strategy} onChange={(event) => setStrategy(event.target.value as RoutingStrategy)} aria-describedby="strategy-hint">
        {STRATEGIES.map((option) => (
          <option key={option} value={option}>
            {t(`admin.teams.strategies.${option}`)}
          </option>
        ))}
      </SelectField>
      <p id="strategy-hint" className="hint">
        {t(`admin.teams.strategyHelp.${strategy}`)}
      </p>
      {save.isError && <ErrorMessage error={save.error} />}
      <FormActions submitLabel={team ? t('common.save') : t('admin.teams.create')} onCancel={onDone} disabled={save.isPending} />
    </form>
  );
}
