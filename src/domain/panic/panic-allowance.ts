import type { Executor } from '../../platform/db/database.ts';
import { resolveSlaPolicy } from '../plans/index.ts';
import { calendarYear, contractYear, startOfDay } from './contract-year.ts';
import { countPanicEvents } from './panic.repo.ts';
import type { PanicQuota } from './panic.types.ts';

/**
 * The organisation's panic allowance at a moment. The plan is the one a new case would run under:
 * the plan of the contract in force, else the plan named by the organisation's plan code. The
 * quota counts presses of the current contract year — from the contract's start date or its
 * latest anniversary; without a contract, the calendar year from 1 January (UTC).
 * Callers that spend the quota hold the organisation lock (panic.repo) while reading this.
 */
export async function readPanicAllowance(executor: Executor, organizationId: string, now: Date): Promise<PanicQuota> {
  const policy = await resolveSlaPolicy(executor, organizationId, now);
  if (!policy) {
    return { entitled: false, quota: 0, used: 0, remaining: 0, yearStartsOn: null, renewsOn: null, planCode: null, contractId: null };
  }
  const today = now.toISOString().slice(0, 10);
  const year = policy.contract ? contractYear(policy.contract.startsOn, today) : calendarYear(today);
  const quota = policy.plan.panicQuota;
  const used = await countPanicEvents(executor, organizationId, startOfDay(year.startsOn), startOfDay(year.renewsOn));
  return {
    entitled: quota === null || quota > 0,
    quota,
    used,
    remaining: quota === null ? null : Math.max(quota - used, 0),
    yearStartsOn: year.startsOn,
    renewsOn: year.renewsOn,
    planCode: policy.plan.code,
    contractId: policy.contract?.id ?? null,
  };
}
