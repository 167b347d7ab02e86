import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, type Actor } from '../identity/index.ts';
import { accountsError } from './accounts.errors.ts';
import { canAccounts } from './accounts.policy.ts';
import { findOrganization, replaceAccountTeam, updateOrganizationRow } from './accounts.repo.ts';
import { AccountTeamMember, Domain, type Organization } from './accounts.types.ts';
import { checkOrganizationFields, withTam } from './create-organization.ts';

export const UpdateOrganizationInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    planCode: z.string().trim().min(1).max(50).nullable().optional(),
    tamId: z.uuid().nullable().optional(),
    domains: z.array(Domain).max(50).optional(),
    sharesCases: z.boolean().optional(),
    accountTeam: z.array(AccountTeamMember).max(50).optional(),
  })
  .strict();
export type UpdateOrganizationInput = z.infer<typeof UpdateOrganizationInput>;

export async function updateOrganization(db: Db, actor: Actor, id: string, input: UpdateOrganizationInput): Promise<Organization> {
  return db.transaction().execute(async (tx) => {
    const current = await findOrganization(tx, id);
    if (!current || !canAccounts(actor, 'organization.read', id)) throw accountsError('ORGANIZATION_NOT_FOUND');
    if (!canAccounts(actor, 'organization.update', id)) throw accountsError('ORGANIZATION_FORBIDDEN');
    const domains = input.domains ? [...new Set(input.domains)] : undefined;
    await checkOrganizationFields(tx, { ...input, domains }, id);
    await updateOrganizationRow(tx, id, { ...input, domains });
    if (input.accountTeam !== undefined || input.tamId !== undefined) {
      const team = input.accountTeam ?? current.accountTeam.filter((member) => member.role !== 'tam');
      await replaceAccountTeam(tx, id, withTam(team, input.tamId === undefined ? current.tamId : input.tamId));
    }
    const changes = diffFields(current as unknown as Record<string, unknown>, { ...input, domains });
    await recordAudit(tx, { subjectType: 'organization', subjectId: id, actorId: actorIdOrNull(actor), action: 'organization.updated', changes });
    await enqueueEvent(tx, 'organization.changed', { organizationId: id, change: 'updated' });
    return (await findOrganization(tx, id))!;
  });
}
