import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { queryClient } from './query-client.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';
export type PanicAlert = { panicEventId: string; ticketId: string; number: number; organizationName: string };

export type Presence = { userId: string; name: string; state: 'viewing' | 'typing'; at: number };
type PresenceByTicket = Record<string, Record<string, Presence>>;
type EventsState = { status: StreamStatus; panics: PanicAlert[]; presence: PresenceByTicket; acknowledge(panicEventId: string): void };
const EventsContext = createContext<EventsState>({ status: 'connecting', panics: [], presence: {}, acknowledge: () => {} });

/** A viewer who stopped sending heartbeats (closed the tab, lost the network) fades after this long. */
const PRESENCE_TTL_MS = 45_000;

const TICKET_TOPICS = ['ticket.created', 'ticket.updated', 'ticket.message-added', 'ticket.assigned', 'ticket.escalated', 'ticket.merged', 'ticket.linked', 'ticket.rated'];

function invalidateTicket(ticketId: unknown): void {
  void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  if (typeof ticketId !== 'string') return;
  for (const key of ['ticket', 'messages', 'timeline', 'sla', 'ratings']) void queryClient.invalidateQueries({ queryKey: [key, ticketId] });
}

/**
 * The server-sent event stream: every case change invalidates the cached queries that show it, so
 * lists and conversations update without a reload. When the stream drops, the status says so and
 * a new connection is tried every few seconds (the browser retries too).
 */
export function EventsProvider({ children, isAgent }: { children: ReactNode; isAgent: boolean }) {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [panics, setPanics] = useState<PanicAlert[]>([]);
  const [presence, setPresence] = useState<PresenceByTicket>({});

  useEffect(() => {
    const prune = setInterval(() => {
      const cutoff = Date.now() - PRESENCE_TTL_MS;
      setPresence((current) => {
        const next: PresenceByTicket = {};
        for (const [ticketId, viewers] of Object.entries(current)) {
          const alive = Object.fromEntries(Object.entries(viewers).filter(([, viewer]) => viewer.at > cutoff));
          if (Object.keys(alive).length > 0) next[ticketId] = alive;
        }
        return next;
      });
    }, 10_000);
    return () => clearInterval(prune);
  }, []);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let wasLive = false;
    const connect = () => {
      source = new EventSource('/api/v1/events/stream', { withCredentials: true });
      source.onopen = () => {
        if (wasLive) void queryClient.invalidateQueries(); // we may have missed events while away
        wasLive = true;
        setStatus('live');
      };
      source.onerror = () => {
        setStatus('reconnecting');
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retry = setTimeout(connect, 3_000);
        }
      };
      for (const topic of TICKET_TOPICS) {
        source.addEventListener(topic, (event) => invalidateTicket(parse(event).ticketId));
      }
      source.addEventListener('organization.changed', (event) => {
        const organizationId = parse(event).organizationId;
        void queryClient.invalidateQueries({ queryKey: ['organization', organizationId] });
        void queryClient.invalidateQueries({ queryKey: ['environment', organizationId] });
      });
      source.addEventListener('ticket.presence', (event) => {
        const payload = parse(event);
        const ticketId = String(payload.ticketId);
        const userId = String(payload.userId);
        setPresence((current) => {
          const viewers = { ...current[ticketId] };
          if (payload.state === 'left') delete viewers[userId];
          else viewers[userId] = { userId, name: String(payload.name ?? ''), state: payload.state === 'typing' ? 'typing' : 'viewing', at: Date.now() };
          return { ...current, [ticketId]: viewers };
        });
      });
      source.addEventListener('panic.pressed', (event) => {
        const payload = parse(event);
        invalidateTicket(payload.ticketId);
        if (!isAgent) return;
        const alert: PanicAlert = {
          panicEventId: String(payload.panicEventId),
          ticketId: String(payload.ticketId),
          number: Number(payload.number),
          organizationName: String(payload.organizationName ?? ''),
        };
        setPanics((current) => (current.some((item) => item.panicEventId === alert.panicEventId) ? current : [...current, alert]));
      });
    };
    connect();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [isAgent]);

  const acknowledge = (panicEventId: string) => setPanics((current) => current.filter((item) => item.panicEventId !== panicEventId));
  return <EventsContext.Provider value={{ status, panics, presence, acknowledge }}>{children}</EventsContext.Provider>;
}

function parse(event: Event): Record<string, unknown> {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function useEvents(): EventsState {
  return useContext(EventsContext);
}
