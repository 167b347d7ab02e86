/**
 * The clock policy of a plan: the plan's targets, pause statuses and warning thresholds with its
 * calendar, loaded through the plans context. One calendar object per plan and run, so the
 * business-time engine compiles each calendar once however many cases are computed.
 */
import type { Executor } from '../../platform/db/database.ts';
import { policyOfPlan, type SlaPolicy } from '../plans/index.ts';
import type { ClockPolicy } from './sla.types.ts';

export type PlanClockPolicy = { planId: string; planCode: string; hasNamedTam: boolean; clock: ClockPolicy };

export function toClockPolicy(policy: SlaPolicy): PlanClockPolicy {
  const { plan, calendar } = policy;
  return {
    planId: plan.id,
    planCode: plan.code,
    hasNamedTam: plan.namedTam,
    clock: {
      planCode: plan.code,
      calendarName: calendar.name,
      calendar: calendar.definition,
      targets: plan.targets,
      pauseStatuses: plan.pauseStatuses,
      warningThresholds: plan.warningThresholds,
    },
  };
}

/**
 * Loads each plan's policy once for the lifetime of the cache (one recomputation run), through the
 * executor of the caller: inside a transaction on the embedded database (one connection), a query
 * outside it would wait for the transaction forever.
 */
export type PolicyCache = {
  get(executor: Executor, planId: string): Promise<PlanClockPolicy | undefined>;
  /** The policy if already loaded (`null`: not loaded yet), without a promise per case in a bulk recomputation. */
  loaded(planId: string): PlanClockPolicy | undefined | null;
};

export function createPolicyCache(): PolicyCache {
  const cache = new Map<string, PlanClockPolicy | undefined>();
  return {
    async get(executor, planId) {
      if (!cache.has(planId)) {
        const policy = await policyOfPlan(executor, planId);
        cache.set(planId, policy ? toClockPolicy(policy) : undefined);
      }
      return cache.get(planId);
    },
    loaded(planId) {
      return cache.has(planId) ? cache.get(planId) : null;
    },
  };
}
