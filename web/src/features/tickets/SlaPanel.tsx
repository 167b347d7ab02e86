import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format.ts';
import { useSla } from './tickets.api.ts';

/** SLA clocks with their due time in the agent's zone and the server's "why" lines; hidden when the route is absent. */
export function SlaPanel({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const sla = useSla(ticketId);
  if (!sla.data) return null;
  return (
    <section className="panel" aria-labelledby="sla-title">
      <h2 id="sla-title">{t('sla.title')}</h2>
      {sla.data.clocks.length === 0 && <p className="muted">{sla.data.planCode ? t('sla.noClock') : t('sla.noPlan')}</p>}
      <ul className="clocks">
        {sla.data.clocks.map((clock) => {
          const remaining = clock.targetSeconds - clock.businessSeconds; // business time, as the calendar counts it
          return (
            <li key={`${clock.kind}-${clock.cycle}`} className={`clock ${clock.state}`}>
              <div className="clock-head">
                <strong>{t(`sla.kind.${clock.kind}`)}</strong>
                <span className={`badge clock-${clock.state}`}>{t(`sla.state.${clock.state}`)}</span>
              </div>
              <p>
                {t('sla.due', { time: format.dateTime(clock.dueAt) })}
                {clock.state === 'running' && <> · {remaining >= 0 ? t('sla.left', { duration: format.duration(remaining) }) : t('sla.overdue', { duration: format.duration(remaining) })}</>}
              </p>
              {clock.explanation.lines.length > 0 && (
                <details>
                  <summary>{t('sla.why')}</summary>
                  <ul className="why">
                    {clock.explanation.lines.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
