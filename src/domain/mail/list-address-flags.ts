import type { Db } from '../../platform/db/database.ts';
import { identityError, type Actor } from '../identity/index.ts';
import { listMailAddressFlagRows, type MailAddressFlagRow } from './inbound-admin.repo.ts';
import type { MailAddressFlag } from './inbound-admin.types.ts';
import { canMail } from './mail.policy.ts';

function toFlag(row: MailAddressFlagRow): MailAddressFlag {
  return {
    address: row.address,
    reason: row.reason,
    detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
    inboundMailId: row.inbound_mail_id,
    flaggedAt: new Date(row.flagged_at).toISOString(),
  };
}

/** Addresses whose mail bounced, most recently flagged first. */
export async function listAddressFlags(db: Db, actor: Actor, options: { limit?: number } = {}): Promise<MailAddressFlag[]> {
  if (!canMail(actor, 'mailbox.read')) throw identityError('FORBIDDEN');
  return (await listMailAddressFlagRows(db, options.limit ?? 200)).map(toFlag);
}

