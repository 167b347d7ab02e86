import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { accountsError, findOrganization } from '../accounts/index.ts';
import { identityError, type Actor } from '../identity/index.ts';
import { subscriptionsError } from './subscriptions.errors.ts';
import { canSubscriptions } from './subscriptions.policy.ts';
import { deleteSubscription, insertSubscription, isNamedTam, listFollowedOrganizationRows, type FollowedOrganizationRow } from './subscriptions.repo.ts';
import type { SubscribeInput, Subscription } from './subscriptions.types.ts';

const toSubscription = (row: FollowedOrganizationRow): Subscription => ({
  organizationId: row.organizationId,
  organizationName: row.organizationName,
  isExplicit: row.subscribedAt !== null,
  isNamedTam: row.isNamedTam,
  subscribedAt: row.subscribedAt ? new Date(row.subscribedAt).toISOString() : null,
});

/** The signed-in agent follows an organisation (again: no change). */
export async function subscribeToOrganization(db: Db, actor: Actor, input: SubscribeInput): Promise<{ subscription: Subscription; isNew: boolean }> {
  if (!canSubscriptions(actor, 'subscription.manage')) throw identityError('FORBIDDEN');
  return db.transaction().execute(async (tx) => {
    const organization = await findOrganization(tx, input.organizationId);
    if (!organization) throw accountsError('ORGANIZATION_NOT_FOUND');
    const { createdAt, isNew } = await insertSubscription(tx, actor.userId, organization.id);
    if (isNew) {
      await recordAudit(tx, { subjectType: 'organization', subjectId: organization.id, actorId: actor.userId, action: 'organization.subscribed', changes: { userId: actor.userId } });
    }
    const subscription = toSubscription({
      organizationId: organization.id,
      organizationName: organization.name,
      subscribedAt: createdAt,
      isNamedTam: await isNamedTam(tx, actor.userId, organization.id),
    });
    return { subscription, isNew };
  });
}

/** Stops following an organisation. A named TAM keeps following it while they hold the role. */
export async function unsubscribeFromOrganization(db: Db, actor: Actor, organizationId: string): Promise<void> {
  if (!canSubscriptions(actor, 'subscription.manage')) throw identityError('FORBIDDEN');
  await db.transaction().execute(async (tx) => {
    if (await isNamedTam(tx, actor.userId, organizationId)) throw subscriptionsError('SUBSCRIPTION_IMPLICIT', { organizationId });
    if (!(await deleteSubscription(tx, actor.userId, organizationId))) throw subscriptionsError('SUBSCRIPTION_NOT_FOUND');
    await recordAudit(tx, { subjectType: 'organization', subjectId: organizationId, actorId: actor.userId, action: 'organization.unsubscribed', changes: { userId: actor.userId } });
  });
}

/** The organisations the signed-in agent follows, explicitly or as a named TAM. */
export async function listSubscriptions(db: Db, actor: Actor): Promise<Subscription[]> {
  if (!canSubscriptions(actor, 'subscription.read')) throw identityError('FORBIDDEN');
  return (await listFollowedOrganizationRows(db, actor.userId)).map(toSubscription);
}

/** Ids of the organisations a user follows (other contexts scope their views with it). */
export async function followedOrganizationIds(db: Db, userId: string): Promise<string[]> {
  return (await listFollowedOrganizationRows(db, userId)).map((row) => row.organizationId);
}
