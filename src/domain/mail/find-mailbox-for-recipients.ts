import type { Db } from '../../platform/db/database.ts';
import { mailboxDirectory } from './mailbox-directory.ts';
import { findActiveMailboxesByAddresses } from './mailboxes.repo.ts';
import type { MailboxRecord } from './mailbox.types.ts';

/**
 * The address and, for a plus address (`support+1a2b@example.test`, our per-case Reply-To), the
 * address without its tag (`support@example.test`), lower-cased.
 */
export function mailboxAddressCandidates(address: string): string[] {
  const trimmed = address.trim().replace(/^<(.*)>$/, '$1').toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return [];
  const local = trimmed.slice(0, at);
  const plus = local.indexOf('+');
  return plus > 0 ? [trimmed, `${local.slice(0, plus)}${trimmed.slice(at)}`] : [trimmed];
}

/**
 * The active mailbox the mail is for: the first recipient (in the given order) that is a mailbox
 * address or a plus address of one. Undefined when the mail is for none of ours. An active mailbox
 * of the in-memory directory answers without a query; anything else is looked up in the database
 * (a mailbox created or re-activated on another node a moment ago is found).
 */
export async function findMailboxForRecipients(db: Db, addresses: readonly string[]): Promise<MailboxRecord | undefined> {
  const candidates = addresses.map(mailboxAddressCandidates);
  const { byAddress: known } = await mailboxDirectory(db);
  for (const form of candidates.flat()) {
    const mailbox = known.get(form);
    if (mailbox?.isActive) return mailbox;
  }
  const mailboxes = await findActiveMailboxesByAddresses(db, [...new Set(candidates.flat())]);
  if (mailboxes.length === 0) return undefined;
  const byAddress = new Map(mailboxes.map((mailbox) => [mailbox.address.toLowerCase(), mailbox]));
  for (const forms of candidates) {
    for (const form of forms) {
      const mailbox = byAddress.get(form);
      if (mailbox) return mailbox;
    }
  }
  return undefined;
}
