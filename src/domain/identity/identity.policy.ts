import type { Actor, User } from './identity.types.ts';
import { isAdmin, isAgent } from './identity.types.ts';

export type IdentityAction = 'user.create' | 'user.read' | 'user.update' | 'user.update-privileged' | 'team.create' | 'team.update' | 'team.read' | 'token.create';
type UserSubject = Pick<User, 'id' | 'kind' | 'organizationId'>;

/**
 * Who may do what with users and teams.
 * Admins manage everyone. Agents read everyone and manage customer contacts. A customer-admin
 * reads and adds contacts of their own organisation. Everyone reads and edits their own profile;
 * only admins change roles, seniority, lines and activation.
 */
export function canIdentity(actor: Actor, action: IdentityAction, subject?: UserSubject): boolean {
  if (isAdmin(actor)) return true;
  const isSelf = subject?.id === actor.userId;
  const isOwnOrgContact = subject?.kind === 'contact' && subject.organizationId !== null && subject.organizationId === actor.organizationId;
  switch (action) {
    case 'user.read':
      return isAgent(actor) || isSelf || (actor.roles.includes('customer-admin') && isOwnOrgContact);
    case 'user.create':
      if (subject?.kind !== 'contact') return false;
      return isAgent(actor) || (actor.roles.includes('customer-admin') && isOwnOrgContact);
    case 'user.update':
      return isSelf || (isAgent(actor) && subject?.kind === 'contact');
    case 'user.update-privileged':
      return isAgent(actor) && subject?.kind === 'contact';
    case 'team.read':
      return isAgent(actor);
    case 'team.create':
    case 'team.update':
    case 'token.create':
      return false;
  }
}
