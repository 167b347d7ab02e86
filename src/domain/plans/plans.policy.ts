import { isAdmin, isAgent, type Actor } from '../identity/index.ts';

export type PlansAction = 'plan.read' | 'plan.manage' | 'contract.read' | 'contract.manage';

/** Agents read plans, calendars and contracts; admins change them; a contact reads their own contract. */
export function canPlans(actor: Actor, action: PlansAction, organizationId?: string): boolean {
  if (action === 'plan.manage' || action === 'contract.manage') return isAdmin(actor);
  if (isAgent(actor)) return true;
  return action === 'contract.read' && organizationId !== undefined && actor.organizationId === organizationId;
}
