import { isAgent, type Actor } from '../identity/index.ts';

export type SubscriptionsAction = 'subscription.read' | 'subscription.manage';

/** Agents (a TAM or any agent) follow organisations, each for themselves; contacts never do. */
export function canSubscriptions(actor: Actor, _action: SubscriptionsAction): boolean {
  return isAgent(actor);
}
