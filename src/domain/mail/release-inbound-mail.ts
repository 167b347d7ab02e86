import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, identityError, type Actor } from '../identity/index.ts';
import { findInboundMailState, markInboundMailReleased } from './inbound-admin.repo.ts';
import type { InboundMailState } from './inbound-admin.types.ts';
import { mailError } from './mail.errors.ts';
import { canMail } from './mail.policy.ts';

const RELEASABLE: InboundMailState[] = ['rate-limited', 'failed'];

/**
 * An admin lets a rate-limited or failed mail through: it goes back to 'received' with a
 * `released` marker (processing skips the per-sender rate limit for it) and a `mail.received`
 * event, in one transaction.
 */
export async function releaseInboundMail(db: Db, actor: Actor, id: string): Promise<{ id: string; state: 'received' }> {
  if (!canMail(actor, 'mailbox.manage')) throw identityError('FORBIDDEN');
  return db.transaction().execute(async (tx) => {
    const mail = await findInboundMailState(tx, id, { forUpdate: true });
    if (!mail) throw mailError('INBOUND_MAIL_NOT_FOUND');
    if (!RELEASABLE.includes(mail.state)) throw mailError('INBOUND_MAIL_NOT_RELEASABLE', { state: mail.state });
    const releasedBy = actorIdOrNull(actor);
    await markInboundMailReleased(tx, id, { released: true, releasedBy, releasedAt: new Date().toISOString(), previous: { state: mail.state, ...mail.outcome } });
    await enqueueEvent(tx, 'mail.received', { inboundMailId: id, released: true });
    await recordAudit(tx, { subjectType: 'inbound_mail', subjectId: id, actorId: releasedBy, action: 'inbound_mail.released', changes: { state: { before: mail.state, after: 'received' } } });
    return { id, state: 'received' as const };
  });
}
