import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { findOrganization } from '../accounts/index.ts';
import type { Actor } from '../identity/index.ts';
import { notifyUsers } from '../notifications/index.ts';
import { getTicket, raisePanicCase } from '../tickets/index.ts';
import { panicError } from './panic.errors.ts';
import { canPanic } from './panic.policy.ts';
import { insertPanicEvent, listActiveAgentIds, listPanicEventRows, lockOrganizationForPanic } from './panic.repo.ts';
import { readPanicAllowance } from './panic-allowance.ts';
import type { PanicPress, PressPanicInput } from './panic.types.ts';

/**
 * The panic button. In one transaction, under the organisation lock: checks the plan's
 * entitlement and this contract year's quota, opens a P1 case (or escalates the given one),
 * records who pressed it, puts `ticket.panic` on the case timeline, notifies every active agent
 * and the account team at once (in-app and e-mail, urgent), and queues `panic.pressed` for the
 * realtime alert. Two simultaneous presses with one left: the second waits for the lock, then
 * sees the first press and is refused.
 */
export async function pressPanicButton(db: Db, actor: Actor, input: PressPanicInput, now = new Date()): Promise<PanicPress> {
  if (!canPanic(actor, 'panic.press')) throw panicError('PANIC_CUSTOMERS_ONLY');
  const organizationId = actor.organizationId!;
  return db.transaction().execute(async (tx) => {
    // An unknown or hidden case is answered before anything is locked or spent.
    if (input.ticketId) await getTicket(tx, actor, input.ticketId);
    if (!(await lockOrganizationForPanic(tx, organizationId))) throw panicError('PANIC_NOT_ENTITLED');
    const allowance = await readPanicAllowance(tx, organizationId, now);
    if (!allowance.entitled) throw panicError('PANIC_NOT_ENTITLED', { planCode: allowance.planCode });
    if (allowance.remaining === 0) {
      throw panicError('PANIC_QUOTA_EXHAUSTED', { quota: allowance.quota, used: allowance.used, renewsOn: allowance.renewsOn });
    }
    const ticket = await raisePanicCase(tx, actor, { ticketId: input.ticketId, description: input.description });
    const panicEventId = await insertPanicEvent(tx, {
      organizationId,
      contractId: allowance.contractId,
      ticketId: ticket.id,
      pressedBy: actor.userId,
      description: input.description,
      createdAt: now,
    });
    const quota = { ...allowance, used: allowance.used + 1, remaining: allowance.remaining === null ? null : allowance.remaining - 1 };
    const pressedBy = { id: actor.userId, name: actor.name, email: actor.email };
    await recordAudit(tx, {
      subjectType: 'ticket',
      subjectId: ticket.id,
      ticketId: ticket.id,
      actorId: actor.userId,
      action: 'ticket.panic',
      changes: { panicEventId, pressedBy, description: input.description, isNewCase: !input.ticketId, contractId: allowance.contractId, quota: quota.quota, used: quota.used },
    });
    const organization = (await findOrganization(tx, organizationId))!;
    const accountTeamIds = [...(organization.tamId ? [organization.tamId] : []), ...organization.accountTeam.map((member) => member.userId)];
    await notifyUsers(
      tx,
      {
        userIds: [...(await listActiveAgentIds(tx)), ...accountTeamIds],
        kind: 'panic',
        ticketId: ticket.id,
        payload: {
          panicEventId,
          ticketId: ticket.id,
          number: ticket.number,
          subject: ticket.subject,
          priority: ticket.priority,
          organizationId,
          organizationName: organization.name,
          pressedBy,
          description: input.description,
          isNewCase: !input.ticketId,
        },
        dedupeKey: `panic:${panicEventId}`,
        isUrgent: true,
      },
      now,
    );
    // Routing facts only (the stream applies the case-reading rule): every agent, the requester, the customer-admins.
    await enqueueEvent(tx, 'panic.pressed', {
      panicEventId,
      ticketId: ticket.id,
      number: ticket.number,
      priority: ticket.priority,
      organizationId,
      organizationName: organization.name,
      requesterId: ticket.requesterId,
      organizationSharesCases: organization.sharesCases,
      pressedById: actor.userId,
      isNewCase: !input.ticketId,
    });
    const [panicEvent] = await listPanicEventRows(tx, { id: panicEventId, limit: 1 });
    return { panicEvent: panicEvent!, ticket, quota };
  });
}
