import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull, identityError, type Actor } from '../identity/index.ts';
import { deleteMailAddressFlag, requeueHeldMailTo } from './inbound-admin.repo.ts';
import type { UnflaggedAddress } from './inbound-admin.types.ts';
import { mailError } from './mail.errors.ts';
import { canMail } from './mail.policy.ts';

/** audit_events.subject_id is a uuid: an address gets a stable name-based one (UUID v5 layout over SHA-1). */
export function addressSubjectId(address: string): string {
  const hash = createHash('sha1').update(`mail-address:${address.toLowerCase()}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The admin vouches for the address again: the flag goes, mail held for it goes back to the queue. */
export async function unflagAddress(db: Db, actor: Actor, address: string): Promise<UnflaggedAddress> {
  if (!canMail(actor, 'mailbox.manage')) throw identityError('FORBIDDEN');
  return db.transaction().execute(async (tx) => {
    const removed = await deleteMailAddressFlag(tx, address.trim());
    if (removed.length === 0) throw mailError('MAIL_ADDRESS_FLAG_NOT_FOUND');
    const requeuedMailIds = await requeueHeldMailTo(tx, address.trim());
    for (const flag of removed) {
      await recordAudit(tx, {
        subjectType: 'mail_address',
        subjectId: addressSubjectId(flag.address),
        actorId: actorIdOrNull(actor),
        action: 'mail_address.unflagged',
        changes: { address: flag.address, reason: flag.reason, flaggedAt: new Date(flag.flagged_at).toISOString(), requeuedMailIds },
      });
    }
    return { address: removed[0]!.address, requeuedMailIds };
  });
}
