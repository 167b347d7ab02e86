export * from './calendar.types.ts';
export { addBusinessTime, businessTimeBetween, isBusinessMoment, nextBusinessMoment } from './business-time.ts';
export { holidaysFromIcs } from './ical-holidays.ts';
export { runSlaDue, runSlaElapsed, SlaError, formatUtc, formatMinutes } from './sla-cli.ts';
// SLA clocks on cases (pure computation first; the use cases below reach other contexts lazily).
export * from './sla.types.ts';
export { computeClocks, explainClocks } from './compute-clocks.ts';
export { explainClock, formatBusinessDuration, formatInstant } from './explain-clock.ts';
export { SLA_ERRORS, slaError, type SlaDomainErrorCode } from './sla.errors.ts';
export { recomputeTicketSla, type RecomputeResult } from './recompute-ticket-sla.ts';
export { recomputeOpenSlaClocks, type RecomputeOpenOptions } from './recompute-open-sla-clocks.ts';
export { slaEventHandler } from './sla-event-handler.ts';
export { runSlaTimer, startSlaTimer, type SlaTimer, type SlaTimerResult } from './run-sla-timer.ts';
export { getTicketSla } from './get-ticket-sla.ts';
export { listCasesBreachingSoon } from './list-cases-breaching-soon.ts';
export { simulatePlanChange, formatSimulation, parsePlanChanges, type SimulationResult, type PlanChanges } from './simulate-plan-change.ts';
export { deriveCaseSlaDue, planSlaMetrics, type BreachingSoon, type PlanSlaMetrics } from './sla.repo.ts';
