import { autoAssignHandler } from '../domain/routing/index.ts';
import { slaEventHandler, startSlaTimer } from '../domain/sla/index.ts';
import { notifySubscribersOfNewCase } from '../domain/subscriptions/index.ts';
import type { Runtime } from '../platform/runtime.ts';
import type { EventHandler } from '../platform/outbox/processor.ts';
import type { RealtimeHub } from '../platform/realtime.ts';

/** Every outbox subscriber of the app, in the order they see each event. */
/** What handlers and jobs may use: the database, the file store and the configuration. */
export type JobDeps = Pick<Runtime, 'database' | 'files' | 'config'>;

export function buildEventHandlers(deps: JobDeps, realtime: RealtimeHub): EventHandler[] {
  const { database } = deps;
  return [
    realtime.outboxHandler,
    // Routing: a new case goes to an agent of its team by the team's strategy (before the TAM hears of it).
    autoAssignHandler(database),
    // TAM subscriptions: followers of the organisation hear of each new case (idempotent per case).
    { name: 'subscriptions', topics: ['ticket.created'], handle: async (event) => void (await notifySubscribersOfNewCase(database.db, event.payload)) },
    // SLA clocks: recomputed from the case history on every event that can move them (idempotent).
    slaEventHandler(database.db),
  ];
}

export type BackgroundJob = { name: string; stop(): Promise<void> };

/** Periodic jobs started beside the HTTP server (timers; each must be safe with several app nodes). */
export function startBackgroundJobs(deps: JobDeps): BackgroundJob[] {
  const { database } = deps;
  // SLA timer: warnings and breaches at their moment (FOR UPDATE SKIP LOCKED + one notice per threshold).
  return [startSlaTimer(database.db)];
}
