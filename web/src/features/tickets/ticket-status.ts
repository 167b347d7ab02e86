/** The case state machine is the server's own (a pure module): the status control offers only moves the API accepts. */
export { allowedTransitions } from '../../../../src/domain/tickets/ticket-status.ts';
