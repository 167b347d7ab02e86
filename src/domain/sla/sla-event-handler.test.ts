import { describe, expect, it } from 'vitest';
import { ticketsToRecompute } from './sla-event-handler.ts';

describe('which case events recompute SLA clocks', () => {
  const id = '11111111-1111-4111-8111-111111111111';
  const source = '22222222-2222-4222-8222-222222222222';

  it('creation, replies and merges (both cases) always do', () => {
    expect(ticketsToRecompute({ topic: 'ticket.created', payload: { ticketId: id } })).toEqual([id]);
    expect(ticketsToRecompute({ topic: 'ticket.message-added', payload: { ticketId: id, internal: true } })).toEqual([id]);
    expect(ticketsToRecompute({ topic: 'ticket.merged', payload: { ticketId: id, sourceId: source } })).toEqual([id, source]);
    expect(ticketsToRecompute({ topic: 'ticket.created', payload: { ticketId: id, planId: source } })).toEqual([id]);
  });

  it('a case created without a plan has no clocks to start', () => {
    expect(ticketsToRecompute({ topic: 'ticket.created', payload: { ticketId: id, planId: null } })).toEqual([]);
    // its later events still do (a plan may come with a change of organisation)
    expect(ticketsToRecompute({ topic: 'ticket.message-added', payload: { ticketId: id, planId: null } })).toEqual([id]);
  });

  it('edits do only when they touch status, priority, organisation or plan', () => {
    expect(ticketsToRecompute({ topic: 'ticket.updated', payload: { ticketId: id, changed: ['tags', 'assigneeId'] } })).toEqual([]);
    expect(ticketsToRecompute({ topic: 'ticket.updated', payload: { ticketId: id, changed: ['tags', 'priority'] } })).toEqual([id]);
    expect(ticketsToRecompute({ topic: 'ticket.assigned', payload: { ticketId: id, changed: ['assigneeId', 'status'] } })).toEqual([id]);
    expect(ticketsToRecompute({ topic: 'ticket.escalated', payload: { ticketId: id, changed: ['supportLine'] } })).toEqual([]);
    expect(ticketsToRecompute({ topic: 'ticket.updated', payload: { ticketId: id } })).toEqual([id]);
  });
});
