import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { UsersTable } from '../../platform/db/schema.ts';
import type { Actor, Role, Team, User, WorkingHours } from './identity.types.ts';

type UserRow = Selectable<UsersTable>;

export type NewUserRecord = {
  email: string;
  name: string;
  kind: 'agent' | 'contact';
  roles: Role[];
  organizationId: string | null;
  senior: boolean;
  supportLine: string | null;
  timeZone: string;
  locale: string;
  workingHours: WorkingHours | null;
  maxOpenCases: number | null;
  passwordHash: string | null;
};

export type UserPatchRecord = Partial<Omit<NewUserRecord, 'kind' | 'email'>> & { isActive?: boolean; email?: string };

function toUser(row: UserRow, teamIds: string[]): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind,
    roles: row.roles as Role[],
    organizationId: row.organization_id,
    senior: row.is_senior,
    supportLine: row.support_line as User['supportLine'],
    timeZone: row.time_zone,
    locale: row.locale,
    workingHours: (row.working_hours as WorkingHours | null) ?? null,
    maxOpenCases: row.max_open_cases,
    isActive: row.is_active,
    teamIds,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toActor(row: Pick<UserRow, 'id' | 'kind' | 'roles' | 'organization_id' | 'is_senior' | 'name' | 'email' | 'locale'>): Actor {
  return {
    userId: row.id,
    kind: row.kind,
    roles: row.roles as Role[],
    organizationId: row.organization_id,
    senior: row.is_senior,
    name: row.name,
    email: row.email,
    locale: row.locale,
  };
}

async function teamIdsByUser(executor: Executor, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (userIds.length === 0) return map;
  const rows = await executor.selectFrom('team_members').select(['team_id', 'user_id']).where('user_id', 'in', userIds).execute();
  for (const row of rows) map.set(row.user_id, [...(map.get(row.user_id) ?? []), row.team_id]);
  return map;
}

/** Inserts a user; undefined when the e-mail address is taken (also when a concurrent insert won the race). */
export async function insertUser(executor: Executor, record: NewUserRecord): Promise<User | undefined> {
  const row = await executor
    .insertInto('users')
    .values({
      email: record.email,
      name: record.name,
      kind: record.kind,
      roles: record.roles,
      organization_id: record.organizationId,
      is_senior: record.senior,
      support_line: record.supportLine,
      time_zone: record.timeZone,
      locale: record.locale,
      working_hours: record.workingHours ? JSON.stringify(record.workingHours) : null,
      max_open_cases: record.maxOpenCases,
      password_hash: record.passwordHash,
    })
    .onConflict((conflict) => conflict.expression(sql`lower(email)`).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toUser(row, []) : undefined;
}

export async function updateUserRow(executor: Executor, id: string, patch: UserPatchRecord): Promise<User | undefined> {
  const row = await executor
    .updateTable('users')
    .set({
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.roles !== undefined && { roles: patch.roles }),
      ...(patch.organizationId !== undefined && { organization_id: patch.organizationId }),
      ...(patch.senior !== undefined && { is_senior: patch.senior }),
      ...(patch.supportLine !== undefined && { support_line: patch.supportLine }),
      ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
      ...(patch.workingHours !== undefined && { working_hours: patch.workingHours ? JSON.stringify(patch.workingHours) : null }),
      ...(patch.maxOpenCases !== undefined && { max_open_cases: patch.maxOpenCases }),
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
      ...(patch.isActive !== undefined && { is_active: patch.isActive }),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  return toUser(row, (await teamIdsByUser(executor, [id])).get(id) ?? []);
}

export async function findUserById(executor: Executor, id: string): Promise<User | undefined> {
  const row = await executor.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return toUser(row, (await teamIdsByUser(executor, [id])).get(id) ?? []);
}

export async function findPasswordHash(executor: Executor, id: string): Promise<string | null> {
  const row = await executor.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash ?? null;
}

export async function findUserByEmail(executor: Executor, email: string): Promise<(User & { passwordHash: string | null }) | undefined> {
  const row = await executor
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...toUser(row, (await teamIdsByUser(executor, [row.id])).get(row.id) ?? []), passwordHash: row.password_hash };
}

export async function findActorById(executor: Executor, id: string): Promise<Actor | undefined> {
  const row = await executor
    .selectFrom('users')
    .select(['id', 'kind', 'roles', 'organization_id', 'is_senior', 'name', 'email', 'locale'])
    .where('id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirst();
  return row ? toActor(row) : undefined;
}

export type UserFilter = { kind?: 'agent' | 'contact'; organizationId?: string; role?: Role; limit: number; after?: string };

export async function listUserRows(executor: Executor, filter: UserFilter): Promise<User[]> {
  let query = executor.selectFrom('users').selectAll().orderBy('id').limit(filter.limit);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.role) query = query.where(sql<boolean>`${filter.role} = any(roles)`);
  if (filter.after) query = query.where('id', '>', filter.after);
  const rows = await query.execute();
  const teams = await teamIdsByUser(executor, rows.map((row) => row.id));
  return rows.map((row) => toUser(row, teams.get(row.id) ?? []));
}

export async function countAdmins(executor: Executor): Promise<number> {
  const row = await executor
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(sql<boolean>`'admin' = any(roles)`)
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertTeam(executor: Executor, name: string, leadId: string | null, memberIds: string[]): Promise<Team> {
  const row = await executor.insertInto('teams').values({ name, lead_id: leadId }).returningAll().executeTakeFirstOrThrow();
  if (memberIds.length > 0) {
    await executor.insertInto('team_members').values(memberIds.map((userId) => ({ team_id: row.id, user_id: userId }))).execute();
  }
  return { id: row.id, name: row.name, leadId: row.lead_id, memberIds, createdAt: row.created_at.toISOString() };
}

export async function findTeamByName(executor: Executor, name: string): Promise<{ id: string } | undefined> {
  return executor.selectFrom('teams').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

export async function teamExists(executor: Executor, id: string): Promise<boolean> {
  return Boolean(await executor.selectFrom('teams').select('id').where('id', '=', id).executeTakeFirst());
}

export async function listTeamRows(executor: Executor): Promise<Team[]> {
  const teams = await executor.selectFrom('teams').selectAll().orderBy('name').execute();
  const members = await executor.selectFrom('team_members').select(['team_id', 'user_id']).execute();
  return teams.map((row) => ({
    id: row.id,
    name: row.name,
    leadId: row.lead_id,
    memberIds: members.filter((member) => member.team_id === row.id).map((member) => member.user_id),
    createdAt: row.created_at.toISOString(),
  }));
}

export async function findTeam(executor: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<Team | undefined> {
  let query = executor.selectFrom('teams').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const members = await executor.selectFrom('team_members').select('user_id').where('team_id', '=', id).orderBy('user_id').execute();
  return { id: row.id, name: row.name, leadId: row.lead_id, memberIds: members.map((member) => member.user_id), createdAt: row.created_at.toISOString() };
}

export async function updateTeamRow(executor: Executor, id: string, patch: { name?: string; leadId?: string | null }): Promise<void> {
  if (patch.name === undefined && patch.leadId === undefined) return;
  await executor
    .updateTable('teams')
    .set({ ...(patch.name !== undefined && { name: patch.name }), ...(patch.leadId !== undefined && { lead_id: patch.leadId }) })
    .where('id', '=', id)
    .execute();
}

/** Makes the team's membership exactly `memberIds`. */
export async function replaceTeamMembers(executor: Executor, teamId: string, memberIds: string[]): Promise<void> {
  let removal = executor.deleteFrom('team_members').where('team_id', '=', teamId);
  if (memberIds.length > 0) removal = removal.where('user_id', 'not in', memberIds);
  await removal.execute();
  if (memberIds.length === 0) return;
  await executor
    .insertInto('team_members')
    .values(memberIds.map((userId) => ({ team_id: teamId, user_id: userId })))
    .onConflict((conflict) => conflict.columns(['team_id', 'user_id']).doNothing())
    .execute();
}

export async function countUsersWithIds(executor: Executor, ids: string[], kind: 'agent' | 'contact'): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await executor
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('id', 'in', ids)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// Sessions, tokens and sign-in throttling.

export async function insertSession(executor: Executor, id: string, userId: string, csrfToken: string, expiresAt: Date): Promise<void> {
  await executor.insertInto('sessions').values({ id, user_id: userId, csrf_token: csrfToken, expires_at: expiresAt }).execute();
}

export async function findSessionActor(executor: Executor, id: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
  const row = await executor
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.kind', 'users.roles', 'users.organization_id', 'users.is_senior', 'users.name', 'users.email', 'users.locale', 'sessions.csrf_token'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('users.is_active', '=', true)
    .executeTakeFirst();
  return row ? { actor: toActor(row), csrfToken: row.csrf_token } : undefined;
}

export async function deleteSession(executor: Executor, id: string): Promise<void> {
  await executor.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function insertApiToken(executor: Executor, userId: string, name: string, tokenHash: string): Promise<string> {
  const row = await executor.insertInto('api_tokens').values({ user_id: userId, name, token_hash: tokenHash }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findTokenActor(executor: Executor, tokenHash: string): Promise<Actor | undefined> {
  const row = await executor
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['users.id', 'users.kind', 'users.roles', 'users.organization_id', 'users.is_senior', 'users.name', 'users.email', 'users.locale'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.is_active', '=', true)
    .executeTakeFirst();
  return row ? toActor(row) : undefined;
}

export async function recordLoginFailure(executor: Executor, email: string, ip: string): Promise<void> {
  await executor.insertInto('login_failures').values({ email: email.toLowerCase(), ip }).execute();
}

export async function countRecentLoginFailures(executor: Executor, email: string, ip: string, windowMinutes: number): Promise<{ byEmail: number; byIp: number }> {
  const since = sql<Date>`now() - make_interval(mins => ${windowMinutes})`;
  const byEmail = await executor
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  const byIp = await executor
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('ip', '=', ip)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { byEmail: Number(byEmail.count), byIp: Number(byIp.count) };
}

export async function listTeamIdsOfUser(executor: Executor, userId: string): Promise<string[]> {
  return (await teamIdsByUser(executor, [userId])).get(userId) ?? [];
}
