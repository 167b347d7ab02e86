import { isAgent, type Actor } from '../identity/index.ts';

export type AccountsAction = 'organization.read' | 'organization.create' | 'organization.update' | 'environment.update';

/**
 * Agents see and manage every organisation. A contact sees only their own organisation (others
 * do not exist for them: callers answer 404). A customer-admin may update their environment profile.
 */
export function canAccounts(actor: Actor, action: AccountsAction, organizationId?: string): boolean {
  if (isAgent(actor)) return true;
  const isOwn = organizationId !== undefined && actor.organizationId === organizationId;
  if (action === 'organization.read') return isOwn;
  if (action === 'environment.update') return isOwn && actor.roles.includes('customer-admin');
  return false;
}
