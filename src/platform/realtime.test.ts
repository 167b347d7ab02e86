import { describe, expect, it } from 'vitest';
import { NOTIFY_PAYLOAD_BYTES, packNotifications } from './realtime.ts';

const event = (id: number, note = '') => JSON.stringify({ id: String(id), topic: 'ticket.updated', payload: { ticketId: 'a', note } });

describe('packNotifications', () => {
  it('packs consecutive events into JSON arrays under the NOTIFY limit, keeping their order and text', () => {
    const events = Array.from({ length: 500 }, (_, index) => event(index, index % 7 === 0 ? 'ü'.repeat(900) : 'x'));
    const packed = packNotifications(events);
    expect(packed.length).toBeGreaterThan(1);
    expect(packed.length).toBeLessThan(events.length / 5);
    for (const message of packed) expect(Buffer.byteLength(message)).toBeLessThan(NOTIFY_PAYLOAD_BYTES);
    expect(packed.flatMap((message) => (JSON.parse(message) as unknown[]).map((item) => JSON.stringify(item)))).toEqual(events);
  });

  it('sends an event too large to share on its own, and nothing for no events', () => {
    const large = event(2, 'y'.repeat(NOTIFY_PAYLOAD_BYTES - 100));
    const packed = packNotifications([event(1), large, event(3)]);
    expect(packed).toEqual([`[${event(1)}]`, `[${large}]`, `[${event(3)}]`]);
    expect(packNotifications([])).toEqual([]);
  });
});
