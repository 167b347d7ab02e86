import { describe, expect, it } from 'vitest';
import { allowedTransitions, canTransition, isOpenStatus, statusAfterReply } from './ticket-status.ts';
import { STATUSES, type TicketStatus } from './tickets.types.ts';

describe('case state machine', () => {
  it('closed is final and solved only reopens or closes', () => {
    expect(allowedTransitions('closed')).toEqual([]);
    expect(allowedTransitions('solved')).toEqual(['open', 'closed']);
  });

  it('every working status can reach solved, and no status moves back to new', () => {
    for (const status of STATUSES) {
      expect(canTransition(status, 'new')).toBe(false);
      if (isOpenStatus(status)) expect(canTransition(status, 'solved')).toBe(true);
    }
  });

  it('a case cannot skip solved on its way to closed', () => {
    const working: TicketStatus[] = ['new', 'open', 'pending-customer', 'pending-vendor', 'on-hold'];
    for (const status of working) expect(canTransition(status, 'closed')).toBe(false);
  });

  it('customers may only solve, close or reopen', () => {
    expect(allowedTransitions('open', true)).toEqual(['solved']);
    expect(allowedTransitions('solved', true)).toEqual(['open', 'closed']);
    expect(canTransition('open', 'on-hold', true)).toBe(false);
  });

  it('replies move the case: agent reply opens a new case, customer reply reopens a waiting or solved one', () => {
    expect(statusAfterReply('new', false, false)).toBe('open');
    expect(statusAfterReply('pending-customer', true, false)).toBe('open');
    expect(statusAfterReply('solved', true, false)).toBe('open');
    expect(statusAfterReply('pending-vendor', true, false)).toBeUndefined();
    expect(statusAfterReply('new', false, true)).toBeUndefined();
  });
});
