import type { Db } from '../../platform/db/database.ts';
import { identityError, isAgent, type Actor } from '../identity/index.ts';
import { findCasesBreachingSoon, type BreachingSoon } from './sla.repo.ts';

/**
 * Open cases whose running SLA clock is due within `withinMinutes` (queue "breaching soon"),
 * soonest first; `mine` keeps the actor's own cases. Agents only.
 */
export async function listCasesBreachingSoon(db: Db, actor: Actor, query: { withinMinutes: number; limit?: number; mine?: boolean }, now = new Date()): Promise<BreachingSoon[]> {
  if (!isAgent(actor)) throw identityError('FORBIDDEN');
  return findCasesBreachingSoon(db, { now, withinMinutes: query.withinMinutes, limit: query.limit ?? 100, ...(query.mine && { assigneeId: actor.userId }) });
}
