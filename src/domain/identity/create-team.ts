import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull } from './create-user.ts';
import { identityError } from './identity.errors.ts';
import { canIdentity } from './identity.policy.ts';
import { countUsersWithIds, findTeamByName, insertTeam, listTeamRows } from './identity.repo.ts';
import type { Actor, Team } from './identity.types.ts';

export const CreateTeamInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    leadId: z.uuid().nullable().optional(),
    memberIds: z.array(z.uuid()).max(500).optional(),
  })
  .strict();
export type CreateTeamInput = z.infer<typeof CreateTeamInput>;

export async function createTeam(db: Db, actor: Actor, input: CreateTeamInput): Promise<Team> {
  if (!canIdentity(actor, 'team.create')) throw identityError('FORBIDDEN');
  const memberIds = [...new Set([...(input.memberIds ?? []), ...(input.leadId ? [input.leadId] : [])])];
  return db.transaction().execute(async (tx) => {
    if (await findTeamByName(tx, input.name)) throw identityError('TEAM_NAME_TAKEN', { name: input.name });
    if ((await countUsersWithIds(tx, memberIds, 'agent')) !== memberIds.length) throw identityError('USER_NOT_FOUND', { reason: 'team members must be agents' });
    const team = await insertTeam(tx, input.name, input.leadId ?? null, memberIds);
    await recordAudit(tx, { subjectType: 'team', subjectId: team.id, actorId: actorIdOrNull(actor), action: 'team.created', changes: { name: team.name, memberIds } });
    return team;
  });
}

export async function listTeams(db: Db, actor: Actor): Promise<Team[]> {
  if (!canIdentity(actor, 'team.read')) throw identityError('FORBIDDEN');
  return listTeamRows(db);
}
