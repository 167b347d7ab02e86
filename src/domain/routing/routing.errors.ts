import { errorFactory } from '../../platform/errors.ts';

export const ROUTING_ERRORS = {
  ESCALATION_INVALID: 'A case is escalated up the support lines only (L1 → L2 → L3): never to its own or a lower line, and not once it is solved, closed or merged.',
  PRIORITY_RULE_NOT_FOUND: 'No such priority rule.',
} as const;

export type RoutingErrorCode = keyof typeof ROUTING_ERRORS;

export const routingError = errorFactory(ROUTING_ERRORS);
