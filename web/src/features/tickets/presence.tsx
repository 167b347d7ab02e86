import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useEvents } from '../../app/events.tsx';

const HEARTBEAT_MS = 20_000;
const TYPING_EVERY_MS = 5_000;

function announce(ticketId: string, state: 'viewing' | 'typing' | 'left'): void {
  api(`/tickets/${ticketId}/presence`, { method: 'POST', body: { state } }).catch(() => {}); // best effort: a missing route or a blip only loses a notice
}

/** Tells the other agents this agent is on the case (heartbeat) and returns a throttled "typing" signal. */
export function useAnnouncePresence(ticketId: string): () => void {
  const lastTyping = useRef(0);
  useEffect(() => {
    announce(ticketId, 'viewing');
    const heartbeat = setInterval(() => announce(ticketId, 'viewing'), HEARTBEAT_MS);
    return () => {
      clearInterval(heartbeat);
      announce(ticketId, 'left');
    };
  }, [ticketId]);
  return () => {
    if (Date.now() - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = Date.now();
    announce(ticketId, 'typing');
  };
}

/** "Bruno is also viewing this case" / "… is typing a reply": who else is on it right now. */
export function CollisionNotice({ ticketId, meId }: { ticketId: string; meId: string }) {
  const { t } = useTranslation();
  const others = Object.values(useEvents().presence[ticketId] ?? {}).filter((viewer) => viewer.userId !== meId);
  if (others.length === 0) return null;
  return (
    <div className="banner collision" role="status">
      {others.map((viewer) => (viewer.state === 'typing' && Date.now() - viewer.at < 15_000 ? t('presence.typing', { name: viewer.name }) : t('presence.viewing', { name: viewer.name }))).join(' · ')}
    </div>
  );
}
