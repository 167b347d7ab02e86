import type { Database } from './db/database.ts';
import type { EventRelay } from './outbox/processor.ts';

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
  outboxHandler: EventRelay;
  listenerCount(): number;
};

const CHANNEL = 'casebook_events';

export function createRealtimeHub(database: Database): RealtimeHub {
  const listeners = new Set<Listener>();
  let unlisten: (() => Promise<void>) | undefined;
  const deliver = (raw: string) => {
    if (listeners.size === 0) return; // nobody connected to this node: nothing to parse
    let event: RealtimeEvent;
    try {
      event = JSON.parse(raw) as RealtimeEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
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
    // The outbox processor's claim statement sends each event as a NOTIFY on the channel (EventRelay).
    outboxHandler: { name: 'realtime', topics: '*', relayTo: CHANNEL },
  };
}
