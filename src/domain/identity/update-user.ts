import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, kindForRoles } from './create-user.ts';
import { identityError } from './identity.errors.ts';
import { canIdentity } from './identity.policy.ts';
import { findPasswordHash, findUserById, updateUserRow } from './identity.repo.ts';
import { forgetTokenActors } from './create-api-token.ts';
import { Role, SupportLine, TimeZone, WorkingHours, type Actor, type User } from './identity.types.ts';
import { hashPassword, verifyPassword } from './password.ts';

export const UpdateUserInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(254).optional(),
    roles: z.array(Role).min(1).max(10).optional(),
    senior: z.boolean().optional(),
    supportLine: SupportLine.nullable().optional(),
    timeZone: TimeZone.optional(),
    locale: z.enum(['en', 'fr', 'es']).optional(),
    workingHours: WorkingHours.nullable().optional(),
    maxOpenCases: z.number().int().min(0).max(10000).nullable().optional(),
    isActive: z.boolean().optional(),
    password: z.string().min(10).max(200).optional(),
    currentPassword: z.string().max(200).optional().describe('Required when users change their own password'),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

const PRIVILEGED_FIELDS = ['roles', 'senior', 'supportLine', 'maxOpenCases', 'isActive', 'email'] as const;

export async function updateUser(db: Db, actor: Actor, userId: string, input: UpdateUserInput): Promise<User> {
  const user = await db.transaction().execute(async (tx) => {
    const current = await findUserById(tx, userId);
    if (!current || !canIdentity(actor, 'user.read', current)) throw identityError('USER_NOT_FOUND');
    if (!canIdentity(actor, 'user.update', current)) throw identityError('FORBIDDEN');
    const touchesPrivileged = PRIVILEGED_FIELDS.some((field) => input[field] !== undefined);
    if (touchesPrivileged && !canIdentity(actor, 'user.update-privileged', current)) throw identityError('FORBIDDEN');
    if (input.roles && kindForRoles(input.roles, current.organizationId) !== current.kind) throw identityError('USER_ROLES_INVALID');
    const { password, currentPassword, ...fields } = input;
    // Someone at an unattended, signed-in browser must not be able to take the account over.
    if (password !== undefined && actor.userId === userId) {
      const stored = await findPasswordHash(tx, userId);
      if (!stored || currentPassword === undefined || !(await verifyPassword(stored, currentPassword))) throw identityError('PASSWORD_CURRENT_INVALID');
    }
    const updated = await updateUserRow(tx, userId, {
      ...fields,
      email: fields.email?.toLowerCase(),
      ...(password !== undefined && { passwordHash: await hashPassword(password) }),
    });
    if (!updated) throw identityError('USER_NOT_FOUND');
    const changes = diffFields(current as unknown as Record<string, unknown>, fields);
    if (password !== undefined) changes.password = { before: '***', after: '***' };
    await recordAudit(tx, { subjectType: 'user', subjectId: userId, actorId: actorIdOrNull(actor), action: 'user.updated', changes });
    await enqueueEvent(tx, 'user.changed', { userId, change: 'updated' });
    return updated;
  });
  forgetTokenActors(); // committed: the next request reads the user again
  return user;
}
