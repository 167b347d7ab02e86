export * from './routing.types.ts';
export { ROUTING_ERRORS, routingError, type RoutingErrorCode } from './routing.errors.ts';
export { canRouting } from './routing.policy.ts';
export { chooseAssignee, isAtCapacity } from './choose-assignee.ts';
export { isOnShift, nextShiftMoment } from './on-shift.ts';
export { derivePriority, type PriorityFacts } from './derive-priority.ts';
export { autoAssignTicket, autoAssignHandler, type AutoAssignOutcome } from './auto-assign-ticket.ts';
export { reofferWaitingCases, startShiftReoffer, type ReofferResult } from './reoffer-waiting-cases.ts';
export { escalateCase, EscalateCaseInput, Escalation } from './escalate-case.ts';
export { setTeamRouting, SetTeamRoutingInput, getTeamRouting } from './set-team-routing.ts';
export { getWorkload, WorkloadQuery, Workload } from './get-workload.ts';
export {
  listPriorityRules,
  createPriorityRule,
  CreatePriorityRuleInput,
  deletePriorityRule,
  evaluatePriority,
  evaluatePriorityFor,
  EvaluatePriorityInput,
} from './manage-priority-rules.ts';
