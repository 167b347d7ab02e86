import type { Database } from '../platform/db/database.ts';
import type { EventHandler } from '../platform/outbox/processor.ts';
import type { RealtimeHub } from '../platform/realtime.ts';

/** Every outbox subscriber of the app, in the order they see each event. */
export function buildEventHandlers(_database: Database, realtime: RealtimeHub): EventHandler[] {
  return [realtime.outboxHandler];
}

export type BackgroundJob = { name: string; stop(): Promise<void> };

/** Periodic jobs started beside the HTTP server (timers; each must be safe with several app nodes). */
export function startBackgroundJobs(_database: Database): BackgroundJob[] {
  return [];
}
