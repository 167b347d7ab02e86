import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull } from './create-user.ts';
import { identityError } from './identity.errors.ts';
import { canIdentity } from './identity.policy.ts';
import { countUsersWithIds, findTeam, findTeamByName, replaceTeamMembers, updateTeamRow } from './identity.repo.ts';
import type { Actor, Team } from './identity.types.ts';

export const UpdateTeamInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    leadId: z.uuid().nullable().optional().describe('null: the team has no lead'),
    memberIds: z.array(z.uuid()).max(500).optional().describe('The whole membership (replaces it); the lead is always a member'),
  })
  .strict();
export type UpdateTeamInput = z.infer<typeof UpdateTeamInput>;

/**
 * Renames a team, changes its lead or replaces its members. As at creation, members are agents
 * and the lead is one of them (a lead outside the given members is added). Removing the lead
 * from the members without naming another leaves the team without a lead.
 */
export async function updateTeam(db: Db, actor: Actor, teamId: string, input: UpdateTeamInput): Promise<Team> {
  if (!canIdentity(actor, 'team.update')) throw identityError('FORBIDDEN');
  return db.transaction().execute(async (tx) => {
    const current = await findTeam(tx, teamId, { forUpdate: true });
    if (!current) throw identityError('TEAM_NOT_FOUND');
    if (input.name !== undefined && input.name.toLowerCase() !== current.name.toLowerCase()) {
      const taken = await findTeamByName(tx, input.name);
      if (taken && taken.id !== teamId) throw identityError('TEAM_NAME_TAKEN', { name: input.name });
    }
    const requestedMembers = input.memberIds ?? current.memberIds;
    let leadId = input.leadId !== undefined ? input.leadId : current.leadId;
    if (input.leadId === undefined && leadId && input.memberIds && !input.memberIds.includes(leadId)) leadId = null;
    const memberIds = [...new Set([...requestedMembers, ...(leadId ? [leadId] : [])])];
    if (memberIds.length > 0 && (await countUsersWithIds(tx, memberIds, 'agent')) !== memberIds.length) {
      throw identityError('USER_NOT_FOUND', { reason: 'team members must be agents' });
    }
    await updateTeamRow(tx, teamId, { name: input.name, leadId });
    const membersChanged = memberIds.length !== current.memberIds.length || memberIds.some((id) => !current.memberIds.includes(id));
    if (membersChanged) await replaceTeamMembers(tx, teamId, memberIds);
    const updated = (await findTeam(tx, teamId))!;
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (updated.name !== current.name) changes.name = { before: current.name, after: updated.name };
    if (updated.leadId !== current.leadId) changes.leadId = { before: current.leadId, after: updated.leadId };
    if (membersChanged) changes.memberIds = { before: current.memberIds, after: updated.memberIds };
    await recordAudit(tx, { subjectType: 'team', subjectId: teamId, actorId: actorIdOrNull(actor), action: 'team.updated', changes });
    return updated;
  });
}
