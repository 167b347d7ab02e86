import type { TicketStatus } from './tickets.types.ts';

/**
 * The case state machine. `closed` is final; a solved case reopens or closes; every working state
 * can move to any other working state or to solved. A customer may only solve, close or reopen.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending-customer', 'pending-vendor', 'on-hold', 'solved'],
  open: ['pending-customer', 'pending-vendor', 'on-hold', 'solved'],
  'pending-customer': ['open', 'pending-vendor', 'on-hold', 'solved'],
  'pending-vendor': ['open', 'pending-customer', 'on-hold', 'solved'],
  'on-hold': ['open', 'pending-customer', 'pending-vendor', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

const CUSTOMER_TARGETS: readonly TicketStatus[] = ['solved', 'closed', 'open'];

export function allowedTransitions(from: TicketStatus, isCustomer = false): TicketStatus[] {
  return TRANSITIONS[from].filter((to) => !isCustomer || CUSTOMER_TARGETS.includes(to));
}

export function canTransition(from: TicketStatus, to: TicketStatus, isCustomer = false): boolean {
  return allowedTransitions(from, isCustomer).includes(to);
}

export function isOpenStatus(status: TicketStatus): boolean {
  return status !== 'solved' && status !== 'closed';
}

/** The status a reply moves a case to, or undefined to leave it. */
export function statusAfterReply(current: TicketStatus, byCustomer: boolean, internal: boolean): TicketStatus | undefined {
  if (internal) return undefined;
  if (byCustomer) return current === 'pending-customer' || current === 'solved' ? 'open' : undefined;
  return current === 'new' ? 'open' : undefined;
}
