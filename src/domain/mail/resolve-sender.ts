/**
 * Sender → contact → organisation: a known user by address (agent or contact); else a new contact
 * in the organisation that claims the sender's domain; else a new contact in the "unassigned"
 * organisation, where agents triage strangers.
 */
import type { Tx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import type { MailAddress } from './mail.types.ts';
import {
  ensureUnassignedOrganizationId,
  findOrganizationIdByDomains,
  findUserIdByAddress,
  insertContact,
  type SenderUser,
} from './inbound-processing.repo.ts';

export type ResolvedSender = { user: SenderUser; resolvedBy: 'known-user' | 'organization-domain' | 'unassigned' };

/** The domain and its parents, longest first, without the bare top-level domain. */
export function domainCandidates(address: string): string[] {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  const labels = domain.split('.');
  return labels.slice(0, -1).map((_, index) => labels.slice(index).join('.'));
}

function displayName(sender: MailAddress): string {
  const name = sender.name.replace(/[\u0000-\u001f]/g, ' ').trim();
  return (name || sender.address.slice(0, sender.address.lastIndexOf('@')) || sender.address).slice(0, 200);
}

/** `lookedUp`: the account already read for this address (null: none), so it is not read again. */
export async function resolveSender(tx: Tx, sender: MailAddress, lookedUp?: SenderUser | null): Promise<ResolvedSender> {
  const known = lookedUp === undefined ? await findUserIdByAddress(tx, sender.address) : (lookedUp ?? undefined);
  if (known) return { user: known, resolvedBy: 'known-user' };
  const byDomain = await findOrganizationIdByDomains(tx, domainCandidates(sender.address));
  const organizationId = byDomain ?? (await ensureUnassignedOrganizationId(tx));
  const { user, isNew } = await insertContact(tx, { email: sender.address, name: displayName(sender), organizationId });
  if (isNew) {
    await recordAudit(tx, { subjectType: 'user', subjectId: user.id, actorId: null, action: 'user.created', changes: { roles: ['customer'], kind: 'contact', source: 'email' } });
    await enqueueEvent(tx, 'user.changed', { userId: user.id, change: 'created' });
  }
  return { user, resolvedBy: isNew ? (byDomain ? 'organization-domain' : 'unassigned') : 'known-user' };
}
