export * from './calendar.types.ts';
export { addBusinessTime, businessTimeBetween, isBusinessMoment, nextBusinessMoment } from './business-time.ts';
export { holidaysFromIcs } from './ical-holidays.ts';
export { runSlaDue, runSlaElapsed, SlaError, formatUtc, formatMinutes } from './sla-cli.ts';
