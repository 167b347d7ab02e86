import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useFormat } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';

type Group = { agents: number; agentsOnShift: number; openCases: number; capacity: number; utilisation: number | null; queue: { open: number; unassigned: number } };
type Workload = {
  at: string;
  agents: Array<{ userId: string; name: string; supportLine: string; senior: boolean; openCases: number; byPriority: Record<'P1' | 'P2' | 'P3' | 'P4', number>; capacity: number | null; utilisation: number | null; isAtCapacity: boolean; isOnShift: boolean; nextShiftAt: string | null }>;
  teams: Array<Group & { teamId: string; name: string }>;
  lines: Array<Group & { line: string }>;
  unassignedOpenCases: number;
};

function Meter({ value, label }: { value: number | null; label: string }) {
  if (value === null) return <span className="muted">—</span>;
  return (
    <span className="meter-wrap">
      <meter min={0} max={100} low={70} high={90} optimum={50} value={Math.min(value, 100)} aria-label={label} />
      <span>{value}%</span>
    </span>
  );
}

/** Who holds how many open cases against their capacity and shift, per team and per line. */
export default function WorkloadPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const workload = useQuery({ queryKey: ['workload'], queryFn: () => api<Workload>('/workload'), refetchInterval: 60_000 });
  if (workload.isPending) return <Loading />;
  if (workload.isError) {
    return (
      <main id="main" className="page">
        <h1>{t('workload.title')}</h1>
        <ErrorMessage error={workload.error} />
      </main>
    );
  }
  const data = workload.data;
  return (
    <main id="main" className="page">
      <h1>{t('workload.title')}</h1>
      <p className="muted">{t('workload.unassigned', { count: data.unassignedOpenCases })}</p>
      <div className="grid-2">
        {[...data.teams.map((team) => ({ key: team.teamId, name: team.name, group: team })), ...data.lines.map((line) => ({ key: line.line, name: line.line, group: line }))].map(({ key, name, group }) => (
          <section key={key} className="panel" aria-label={name}>
            <h2>{name}</h2>
            <dl className="facts">
              <div>
                <dt>{t('workload.onShift')}</dt>
                <dd>
                  {group.agentsOnShift} / {group.agents}
                </dd>
              </div>
              <div>
                <dt>{t('workload.openCases')}</dt>
                <dd>
                  {group.openCases} / {group.capacity}
                </dd>
              </div>
              <div>
                <dt>{t('workload.utilisation')}</dt>
                <dd>
                  <Meter value={group.utilisation} label={`${name} ${t('workload.utilisation')}`} />
                </dd>
              </div>
              <div>
                <dt>{t('workload.queue')}</dt>
                <dd>{t('workload.queueCounts', { open: group.queue.open, unassigned: group.queue.unassigned })}</dd>
              </div>
            </dl>
          </section>
        ))}
      </div>
      <table className="queue-table">
        <caption className="visually-hidden">{t('workload.agents')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('workload.agent')}</th>
            <th scope="col">{t('ticket.line')}</th>
            <th scope="col">{t('workload.shift')}</th>
            <th scope="col">P1 · P2 · P3 · P4</th>
            <th scope="col">{t('workload.openCases')}</th>
            <th scope="col">{t('workload.utilisation')}</th>
          </tr>
        </thead>
        <tbody>
          {data.agents.map((agent) => (
            <tr key={agent.userId} className={agent.isAtCapacity ? 'at-capacity' : undefined}>
              <td>
                {agent.name} {agent.senior && <span className="badge">{t('workload.senior')}</span>}
              </td>
              <td>{agent.supportLine}</td>
              <td>{agent.isOnShift ? t('workload.onShiftNow') : agent.nextShiftAt ? t('workload.nextShift', { time: format.dateTime(agent.nextShiftAt) }) : t('workload.offShift')}</td>
              <td>
                {agent.byPriority.P1} · {agent.byPriority.P2} · {agent.byPriority.P3} · {agent.byPriority.P4}
              </td>
              <td>
                {agent.openCases}
                {agent.capacity !== null && ` / ${agent.capacity}`}
              </td>
              <td>
                <Meter value={agent.utilisation} label={`${agent.name} ${t('workload.utilisation')}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
