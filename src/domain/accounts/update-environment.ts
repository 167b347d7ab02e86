import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, type Actor } from '../identity/index.ts';
import { accountsError } from './accounts.errors.ts';
import { canAccounts } from './accounts.policy.ts';
import { findEnvironmentProfile, findOrganization, insertEnvironmentVersion, listEnvironmentVersions } from './accounts.repo.ts';
import { EnvironmentComponent, type EnvironmentProfile } from './accounts.types.ts';

export const PutEnvironmentInput = z
  .object({
    components: z.array(EnvironmentComponent).max(200),
    notes: z.string().max(20000).optional(),
    diagramAttachmentIds: z.array(z.uuid()).max(50).optional(),
  })
  .strict();
export type PutEnvironmentInput = z.infer<typeof PutEnvironmentInput>;

/** Every PUT appends a new version; earlier versions stay readable (cases point at them). */
export async function putEnvironment(db: Db, actor: Actor, organizationId: string, input: PutEnvironmentInput): Promise<EnvironmentProfile> {
  return db.transaction().execute(async (tx) => {
    const organization = await findOrganization(tx, organizationId);
    if (!organization || !canAccounts(actor, 'organization.read', organizationId)) throw accountsError('ORGANIZATION_NOT_FOUND');
    if (!canAccounts(actor, 'environment.update', organizationId)) throw accountsError('ORGANIZATION_FORBIDDEN');
    const profile = await insertEnvironmentVersion(
      tx,
      organizationId,
      { components: input.components, notes: input.notes ?? '', diagramAttachmentIds: input.diagramAttachmentIds ?? [] },
      actorIdOrNull(actor),
    );
    await recordAudit(tx, {
      subjectType: 'environment',
      subjectId: organizationId,
      actorId: actorIdOrNull(actor),
      action: 'environment.versioned',
      changes: { version: { before: profile.version - 1 || null, after: profile.version } },
    });
    await enqueueEvent(tx, 'organization.changed', { organizationId, change: 'environment', version: profile.version });
    return profile;
  });
}

export async function getEnvironment(db: Db, actor: Actor, organizationId: string, version?: number): Promise<EnvironmentProfile> {
  if (!canAccounts(actor, 'organization.read', organizationId) || !(await findOrganization(db, organizationId))) {
    throw accountsError('ORGANIZATION_NOT_FOUND');
  }
  const profile = await findEnvironmentProfile(db, organizationId, version);
  if (!profile) throw accountsError('ENVIRONMENT_NOT_FOUND');
  return profile;
}

export async function listEnvironmentHistory(db: Db, actor: Actor, organizationId: string): Promise<EnvironmentProfile[]> {
  if (!canAccounts(actor, 'organization.read', organizationId) || !(await findOrganization(db, organizationId))) {
    throw accountsError('ORGANIZATION_NOT_FOUND');
  }
  return listEnvironmentVersions(db, organizationId);
}
