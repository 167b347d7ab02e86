import { isAdmin, isAgent, type Actor } from '../identity/index.ts';

export type RoutingAction = 'routing.read' | 'routing.manage' | 'case.escalate' | 'workload.read' | 'priority-rule.read' | 'priority-rule.manage';

/**
 * Agents read team routing, the workload view and the priority rules, evaluate rules and
 * escalate cases; admins choose a team's strategy and write priority rules. Contacts do none of it.
 */
export function canRouting(actor: Actor, action: RoutingAction): boolean {
  if (action === 'routing.manage' || action === 'priority-rule.manage') return isAdmin(actor);
  return isAgent(actor);
}
