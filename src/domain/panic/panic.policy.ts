import { isAdmin, isAgent, type Actor } from '../identity/index.ts';

export type PanicAction = 'panic.press' | 'panic.quota.read' | 'panic.history.read' | 'panic.history.read-all';

/**
 * A customer contact presses the panic button for their own organisation. Agents and the
 * organisation's contacts read its quota. Agents read panic history: admins of every
 * organisation, other agents of the organisations they follow (subscribed or named TAM).
 */
export function canPanic(actor: Actor, action: PanicAction, organizationId?: string): boolean {
  switch (action) {
    case 'panic.press':
      return !isAgent(actor) && actor.organizationId !== null;
    case 'panic.quota.read':
      return isAgent(actor) || (organizationId !== undefined && actor.organizationId === organizationId);
    case 'panic.history.read':
      return isAgent(actor);
    case 'panic.history.read-all':
      return isAdmin(actor);
  }
}
