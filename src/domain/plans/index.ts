export * from './plans.types.ts';
export { PLANS_ERRORS, plansError, type PlansErrorCode } from './plans.errors.ts';
export { canPlans } from './plans.policy.ts';
export { createCalendar, CreateCalendarInput, listCalendars, getCalendar } from './manage-calendars.ts';
export { createPlan, CreatePlanInput, updatePlan, UpdatePlanInput, getPlan, listPlans } from './manage-plans.ts';
export { putContract, PutContractInput, getContracts } from './put-contract.ts';
export { resolveSlaPolicy, policyOfPlan } from './resolve-policy.ts';
export { findActiveContract, findPlanByCode } from './plans.repo.ts';
