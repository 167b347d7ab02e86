import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog.tsx';
import { useAllUsers, useTeamRouting, useTeams, type AdminUser, type RoutingStrategy, type Team } from './admin.api.ts';
import { adminState } from './AdminState.tsx';
import { TeamForm } from './TeamForm.tsx';

function TeamCard({ team, users, onEdit }: { team: Team; users: AdminUser[]; onEdit(strategy: RoutingStrategy | undefined): void }) {
  const { t } = useTranslation();
  const routing = useTeamRouting(team.id);
  const nameOf = (id: string | null) => users.find((user) => user.id === id)?.name ?? '—';
  const strategy = routing.data?.strategy;
  return (
    <section className="panel" aria-labelledby={`team-${team.id}`}>
      <div className="panel-head">
        <h2 id={`team-${team.id}`}>{team.name}</h2>
        <button type="button" className="button small" onClick={() => onEdit(strategy)} aria-label={t('admin.teams.editNamed', { name: team.name })}>
          {t('admin.edit')}
        </button>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('admin.teams.lead')}</dt>
          <dd>{team.leadId ? nameOf(team.leadId) : t('admin.teams.noLead')}</dd>
        </div>
        <div>
          <dt>{t('admin.teams.strategy')}</dt>
          <dd>{strategy ? t(`admin.teams.strategies.${strategy}`) : '—'}</dd>
        </div>
        <div>
          <dt>{t('admin.teams.members')}</dt>
          <dd>{team.memberIds.length === 0 ? t('admin.teams.noMembers') : team.memberIds.map(nameOf).sort().join(', ')}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Teams: who is in each, who leads it, and how its new cases are assigned. */
export default function TeamsPage() {
  const { t } = useTranslation();
  const teams = useTeams();
  const users = useAllUsers();
  const [editing, setEditing] = useState<{ team?: Team; strategy?: RoutingStrategy } | null>(null);
  const state = adminState(teams) ?? adminState(users);
  if (state) return state;
  const agents = (users.data ?? []).filter((user) => user.kind === 'agent' && user.isActive);
  return (
    <>
      <div className="queue-head">
        <h1>{t('admin.teams.title')}</h1>
        <button type="button" className="button primary" onClick={() => setEditing({})}>
          {t('admin.teams.new')}
        </button>
      </div>
      {teams.data!.length === 0 && <p className="empty">{t('admin.teams.none')}</p>}
      <div className="grid-2">
        {teams.data!.map((team) => (
          <TeamCard key={team.id} team={team} users={users.data!} onEdit={(strategy) => setEditing({ team, strategy })} />
        ))}
      </div>
      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)} title={editing?.team ? t('admin.teams.editTitle', { name: editing.team.name }) : t('admin.teams.new')}>
        {editing && <TeamForm key={editing.team?.id ?? 'new'} team={editing.team} strategy={editing.strategy} agents={agents} onDone={() => setEditing(null)} />}
      </Dialog>
    </>
  );
}
