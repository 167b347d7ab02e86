import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, type Actor } from '../identity/index.ts';
import { accountsError } from './accounts.errors.ts';
import { canAccounts } from './accounts.policy.ts';
import { countActiveAgents, findOrganization, findOrganizationByName, findOrganizationClaimingDomains, insertOrganization, replaceAccountTeam } from './accounts.repo.ts';
import { AccountTeamMember, Domain, type Organization } from './accounts.types.ts';

export const CreateOrganizationInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    planCode: z.string().trim().min(1).max(50).nullable().optional().describe('Support plan reference, e.g. standard or premium'),
    tamId: z.uuid().nullable().optional().describe('Named Technical Account Manager'),
    domains: z.array(Domain).max(50).optional(),
    sharesCases: z.boolean().optional(),
    accountTeam: z.array(AccountTeamMember).max(50).optional(),
  })
  .strict();
export type CreateOrganizationInput = z.infer<typeof CreateOrganizationInput>;

/** Checks shared by create and update: unique name and domains, account team made of agents. */
export async function checkOrganizationFields(
  tx: Tx,
  fields: { name?: string; domains?: string[]; tamId?: string | null; accountTeam?: AccountTeamMember[] },
  exceptId?: string,
): Promise<void> {
  if (fields.name !== undefined) {
    const sameName = await findOrganizationByName(tx, fields.name);
    if (sameName && sameName.id !== exceptId) throw accountsError('ORGANIZATION_NAME_TAKEN', { name: fields.name });
  }
  if (fields.domains?.length) {
    const claimant = await findOrganizationClaimingDomains(tx, fields.domains, exceptId);
    if (claimant) throw accountsError('ORGANIZATION_DOMAIN_TAKEN', { organization: claimant.name });
  }
  const people = [...new Set([...(fields.tamId ? [fields.tamId] : []), ...(fields.accountTeam ?? []).map((member) => member.userId)])];
  if ((await countActiveAgents(tx, people)) !== people.length) throw accountsError('ACCOUNT_TEAM_MEMBER_INVALID');
}

/** The named TAM is also an account-team member with the `tam` role. */
export function withTam(team: AccountTeamMember[], tamId: string | null | undefined): AccountTeamMember[] {
  if (!tamId || team.some((member) => member.userId === tamId && member.role === 'tam')) return team;
  return [...team, { userId: tamId, role: 'tam' }];
}

export async function createOrganization(db: Db, actor: Actor, input: CreateOrganizationInput): Promise<Organization> {
  if (!canAccounts(actor, 'organization.create')) throw accountsError('ORGANIZATION_FORBIDDEN');
  const domains = [...new Set(input.domains ?? [])];
  return db.transaction().execute(async (tx) => {
    await checkOrganizationFields(tx, { ...input, domains });
    const id = await insertOrganization(tx, { ...input, domains });
    await replaceAccountTeam(tx, id, withTam(input.accountTeam ?? [], input.tamId));
    await recordAudit(tx, { subjectType: 'organization', subjectId: id, actorId: actorIdOrNull(actor), action: 'organization.created', changes: { name: input.name } });
    await enqueueEvent(tx, 'organization.changed', { organizationId: id, change: 'created' });
    return (await findOrganization(tx, id))!;
  });
}
