import type { Executor } from '../../platform/db/database.ts';
import { findOrganizationPlanCode } from '../accounts/index.ts';
import { findActiveContract, findCalendar, findPlan, findPlanByCode } from './plans.repo.ts';
import type { SlaPolicy } from './plans.types.ts';

/**
 * The policy a case of this organisation runs under at a moment: the plan of the contract in force,
 * else the organisation's plan reference; undefined when it has neither (no SLA).
 */
export async function resolveSlaPolicy(executor: Executor, organizationId: string, at: Date): Promise<SlaPolicy | undefined> {
  const contract = await findActiveContract(executor, organizationId, at.toISOString().slice(0, 10));
  let plan = contract ? await findPlan(executor, contract.planId) : undefined;
  if (!plan) {
    const planCode = await findOrganizationPlanCode(executor, organizationId);
    plan = planCode ? await findPlanByCode(executor, planCode) : undefined;
  }
  if (!plan) return undefined;
  const calendar = await findCalendar(executor, plan.calendarId);
  if (!calendar) return undefined;
  return { plan, calendar, contract: contract ?? null };
}

/** The policy of a known plan (a case keeps the plan it was opened under). */
export async function policyOfPlan(executor: Executor, planId: string): Promise<SlaPolicy | undefined> {
  const plan = await findPlan(executor, planId);
  const calendar = plan ? await findCalendar(executor, plan.calendarId) : undefined;
  return plan && calendar ? { plan, calendar, contract: null } : undefined;
}
