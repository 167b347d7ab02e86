import { errorFactory } from '../../platform/errors.ts';

export const TICKETS_ERRORS = {
  TICKET_NOT_FOUND: 'No such case.',
  TICKET_TRANSITION_INVALID: 'This status change is not allowed from the current status.',
  TICKET_CLOSED: 'This case is closed; open a new case instead.',
  TICKET_FORBIDDEN: 'You are not allowed to change this case this way.',
  TICKET_REQUESTER_INVALID: 'The requester must be an active user; a contact must belong to the case organisation.',
  TICKET_ASSIGNEE_INVALID: 'Cases are assigned to active agents only.',
  TICKET_TEAM_INVALID: 'No such team.',
  TICKET_MERGE_INVALID: 'These cases cannot be merged (same case, already merged, closed, or different organisations).',
  TICKET_LINK_INVALID: 'A related or duplicate link needs targetId; an upstream-vendor link needs externalRef.',
  MESSAGE_INTERNAL_FORBIDDEN: 'Customers cannot write internal notes.',
  ATTACHMENT_NOT_FOUND: 'No such attachment.',
  ATTACHMENT_TOO_LARGE: 'The attachment is larger than the configured limit.',
  ATTACHMENT_INVALID: 'The attachment needs a file name and some content.',
  CURSOR_INVALID: 'The pagination cursor is malformed.',
  MESSAGE_NOT_FOUND: 'No such message on this case.',
  RATING_CUSTOMERS_ONLY: 'Only customer contacts rate answers.',
  RATING_MESSAGE_INVALID: 'Only a public answer written by an agent can be rated.',
  VIEW_NOT_FOUND: 'No such saved view of yours.',
  VIEW_NAME_TAKEN: 'You already have a saved view with this name.',
  VIEW_LIMIT_REACHED: 'You have reached the maximum number of saved views; delete one first.',
} as const;

export type TicketsErrorCode = keyof typeof TICKETS_ERRORS;

export const ticketsError = errorFactory(TICKETS_ERRORS);
