import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { EnvironmentProfilesTable, OrganizationsTable } from '../../platform/db/schema.ts';
import type { AccountTeamMember, AccountTeamRole, EnvironmentComponent, EnvironmentProfile, Organization } from './accounts.types.ts';

type OrganizationRow = Selectable<OrganizationsTable>;

export type OrganizationRecord = {
  name?: string;
  planCode?: string | null;
  tamId?: string | null;
  domains?: string[];
  sharesCases?: boolean;
  isUnassigned?: boolean;
};

async function hydrate(executor: Executor, rows: OrganizationRow[]): Promise<Organization[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const members = await executor.selectFrom('organization_members').selectAll().where('organization_id', 'in', ids).execute();
  const versions = await executor
    .selectFrom('environment_profiles')
    .select(['organization_id', (eb) => eb.fn.max('version').as('version')])
    .where('organization_id', 'in', ids)
    .groupBy('organization_id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    planCode: row.plan_code,
    tamId: row.tam_id,
    domains: row.domains,
    sharesCases: row.shares_cases,
    accountTeam: members
      .filter((member) => member.organization_id === row.id)
      .map((member) => ({ userId: member.user_id, role: member.role as AccountTeamRole })),
    environmentVersion: versions.find((version) => version.organization_id === row.id)?.version ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }));
}

export async function insertOrganization(executor: Executor, record: OrganizationRecord & { name: string }): Promise<string> {
  const row = await executor
    .insertInto('organizations')
    .values({
      name: record.name,
      plan_code: record.planCode ?? null,
      tam_id: record.tamId ?? null,
      domains: record.domains ?? [],
      shares_cases: record.sharesCases ?? false,
      is_unassigned: record.isUnassigned ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOrganizationRow(executor: Executor, id: string, record: OrganizationRecord): Promise<void> {
  await executor
    .updateTable('organizations')
    .set({
      ...(record.name !== undefined && { name: record.name }),
      ...(record.planCode !== undefined && { plan_code: record.planCode }),
      ...(record.tamId !== undefined && { tam_id: record.tamId }),
      ...(record.domains !== undefined && { domains: record.domains }),
      ...(record.sharesCases !== undefined && { shares_cases: record.sharesCases }),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function replaceAccountTeam(executor: Executor, organizationId: string, members: AccountTeamMember[]): Promise<void> {
  await executor.deleteFrom('organization_members').where('organization_id', '=', organizationId).execute();
  if (members.length === 0) return;
  await executor
    .insertInto('organization_members')
    .values(members.map((member) => ({ organization_id: organizationId, user_id: member.userId, role: member.role })))
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

export async function findOrganization(executor: Executor, id: string): Promise<Organization | undefined> {
  const row = await executor.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await hydrate(executor, [row]))[0] : undefined;
}

/** Only the plan reference of an organisation (null when it has none; undefined when no such organisation). */
export async function findOrganizationPlanCode(executor: Executor, id: string): Promise<string | null | undefined> {
  const row = await executor.selectFrom('organizations').select('plan_code').where('id', '=', id).executeTakeFirst();
  return row ? row.plan_code : undefined;
}

export async function findOrganizationByName(executor: Executor, name: string): Promise<{ id: string } | undefined> {
  return executor.selectFrom('organizations').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

export async function findOrganizationClaimingDomains(executor: Executor, domains: string[], exceptId?: string): Promise<{ id: string; name: string } | undefined> {
  if (domains.length === 0) return undefined;
  let query = executor
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where(sql<boolean>`domains && ${sql.val(domains)}::text[]`);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export async function listOrganizationRows(executor: Executor, options: { limit: number; after?: string; onlyId?: string | null; search?: string }): Promise<Organization[]> {
  let query = executor.selectFrom('organizations').selectAll().orderBy('id').limit(options.limit);
  if (options.after) query = query.where('id', '>', options.after);
  if (options.onlyId !== undefined) query = query.where('id', '=', options.onlyId ?? '00000000-0000-0000-0000-000000000000');
  if (options.search) query = query.where('name', 'ilike', `%${options.search.replace(/[%_\\]/g, '\\$&')}%`);
  return hydrate(executor, await query.execute());
}

export async function countActiveAgents(executor: Executor, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await executor
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('id', 'in', ids)
    .where('kind', '=', 'agent')
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function toProfile(row: Selectable<EnvironmentProfilesTable>): EnvironmentProfile {
  return {
    organizationId: row.organization_id,
    version: row.version,
    components: row.components as EnvironmentComponent[],
    notes: row.notes,
    diagramAttachmentIds: row.diagram_attachment_ids,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export async function findEnvironmentProfile(executor: Executor, organizationId: string, version?: number): Promise<EnvironmentProfile | undefined> {
  let query = executor.selectFrom('environment_profiles').selectAll().where('organization_id', '=', organizationId);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  return row ? toProfile(row) : undefined;
}

export async function listEnvironmentVersions(executor: Executor, organizationId: string): Promise<EnvironmentProfile[]> {
  const rows = await executor.selectFrom('environment_profiles').selectAll().where('organization_id', '=', organizationId).orderBy('version', 'desc').execute();
  return rows.map(toProfile);
}

/** Appends a new version; the row lock on the organisation serialises concurrent edits. */
export async function insertEnvironmentVersion(
  executor: Executor,
  organizationId: string,
  profile: { components: EnvironmentComponent[]; notes: string; diagramAttachmentIds: string[] },
  createdBy: string | null,
): Promise<EnvironmentProfile> {
  await executor.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().execute();
  const current = await executor
    .selectFrom('environment_profiles')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  const row = await executor
    .insertInto('environment_profiles')
    .values({
      organization_id: organizationId,
      version: (current?.version ?? 0) + 1,
      components: JSON.stringify(profile.components),
      notes: profile.notes,
      diagram_attachment_ids: profile.diagramAttachmentIds,
      created_by: createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toProfile(row);
}

export async function findUnassignedOrganizationId(executor: Executor): Promise<string | undefined> {
  const row = await executor.selectFrom('organizations').select('id').where('is_unassigned', '=', true).executeTakeFirst();
  return row?.id;
}

/** The organisation's plan reference follows its contract (plans context calls this). */
export async function setOrganizationPlanCode(executor: Executor, organizationId: string, planCode: string): Promise<void> {
  await executor.updateTable('organizations').set({ plan_code: planCode, updated_at: sql<Date>`now()` }).where('id', '=', organizationId).execute();
}
