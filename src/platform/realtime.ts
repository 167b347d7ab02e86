import { sql } from 'kysely';
import type { Database } from './db/database.ts';
import type { EventHandler } from './outbox/processor.ts';
import type { OutboxEvent } from './outbox/outbox.ts';

export type RealtimeEvent = { id: string; topic: string; payload: Record<string, unknown> };
type Listener = (event: RealtimeEvent) => void;

/**
 * Fans case changes out to every connected browser on every app node: the outbox processor (on
 * whichever node claims the event) sends a NOTIFY; each node LISTENs and hands it to its own
 * SSE connections. Payloads carry ids and routing facts only, never case content.
 */
export type RealtimeHub = {
  subscribe(listener: Listener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  outboxHandler: EventHandler;
  listenerCount(): number;
};

const CHANNEL = 'casebook_events';

export function createRealtimeHub(database: Database): RealtimeHub {
  const listeners = new Set<Listener>();
  let unlisten: (() => Promise<void>) | undefined;
  const deliver = (raw: string) => {
    if (listeners.size === 0) return; // nobody connected to this node: nothing to parse
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return;
    }
    // A notification carries several events (an array, in id order); a single object is one event.
    for (const event of (Array.isArray(parsed) ? parsed : [parsed]) as RealtimeEvent[]) {
      for (const listener of listeners) listener(event);
    }
  };
  // One statement sends the batch's events in id order, packed into as few notifications as fit
  // (see packNotifications). The messages go as one JSON array (a text[] parameter made pg escape
  // every character of every message in JavaScript), as `json` so each message keeps its exact text.
  const notifyAll = async (events: OutboxEvent[]): Promise<void> => {
    const messages = packNotifications(events.map((event) => JSON.stringify({ id: event.id, topic: event.topic, payload: event.payload })));
    await sql`select pg_notify(${CHANNEL}, message::text) from json_array_elements(${`[${messages.join(',')}]`}::json) as message`.execute(database.db);
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
    async start() {
      unlisten = await database.listen(CHANNEL, deliver);
    },
    async stop() {
      await unlisten?.();
      listeners.clear();
    },
    outboxHandler: {
      name: 'realtime',
      topics: '*',
      handle: (event: OutboxEvent) => notifyAll([event]),
      handleBatch: notifyAll,
    },
  };
}

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; a packed notification stays under this. */
export const NOTIFY_PAYLOAD_BYTES = 7_900;

/**
 * Packs events (each a JSON object's text) into notifications: JSON arrays of consecutive events,
 * each array under NOTIFY_PAYLOAD_BYTES. One NOTIFY per event cost PostgreSQL a queue entry, a
 * wake-up of every listening backend and a protocol message per event: measured at 8 concurrent
 * creations, about a tenth of PostgreSQL's CPU per case. An event too large to share goes alone.
 */
export function packNotifications(events: readonly string[]): string[] {
  const packed: string[] = [];
  let chunk: string[] = [];
  let bytes = 2;
  for (const event of events) {
    const size = Buffer.byteLength(event) + 1;
    if (chunk.length > 0 && bytes + size > NOTIFY_PAYLOAD_BYTES) {
      packed.push(`[${chunk.join(',')}]`);
      chunk = [];
      bytes = 2;
    }
    chunk.push(event);
    bytes += size;
  }
  if (chunk.length > 0) packed.push(`[${chunk.join(',')}]`);
  return packed;
}
