import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull, identityError, teamExists, type Actor } from '../identity/index.ts';
import { canRouting } from './routing.policy.ts';
import { findTeamRouting, upsertTeamRouting } from './routing.repo.ts';
import { RoutingStrategy, type TeamRouting } from './routing.types.ts';

export const SetTeamRoutingInput = z
  .object({ strategy: RoutingStrategy.describe('round-robin, least-loaded, or manual (cases wait in the team queue)') })
  .strict();
export type SetTeamRoutingInput = z.infer<typeof SetTeamRoutingInput>;

/** Chooses how a team's new cases are assigned. The rotation position is kept across changes. */
export async function setTeamRouting(db: Db, actor: Actor, teamId: string, input: SetTeamRoutingInput): Promise<TeamRouting> {
  if (!canRouting(actor, 'routing.manage')) throw identityError('FORBIDDEN');
  return db.transaction().execute(async (tx) => {
    if (!(await teamExists(tx, teamId))) throw identityError('TEAM_NOT_FOUND');
    const before = await findTeamRouting(tx, teamId, { forUpdate: true });
    const routing = await upsertTeamRouting(tx, teamId, input.strategy);
    await recordAudit(tx, {
      subjectType: 'team',
      subjectId: teamId,
      actorId: actorIdOrNull(actor),
      action: 'team.routing-changed',
      changes: { strategy: { before: before?.strategy ?? 'manual', after: routing.strategy } },
    });
    return routing;
  });
}

/** A team's routing; a team never configured routes manually. */
export async function getTeamRouting(db: Db, actor: Actor, teamId: string): Promise<TeamRouting> {
  if (!canRouting(actor, 'routing.read')) throw identityError('FORBIDDEN');
  if (!(await teamExists(db, teamId))) throw identityError('TEAM_NOT_FOUND');
  return (await findTeamRouting(db, teamId)) ?? { teamId, strategy: 'manual', lastAssignedUserId: null, updatedAt: null };
}
