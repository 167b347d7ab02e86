import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { identityError } from './identity.errors.ts';
import { canIdentity } from './identity.policy.ts';
import { findUserByEmail, insertUser } from './identity.repo.ts';
import { AGENT_ROLES, CONTACT_ROLES, Role, SupportLine, TimeZone, WorkingHours, type Actor, type User } from './identity.types.ts';
import { hashPassword } from './password.ts';

export const CreateUserInput = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    roles: z.array(Role).min(1).max(10),
    organizationId: z.uuid().nullable().optional().describe('Required for customer contacts'),
    senior: z.boolean().optional(),
    supportLine: SupportLine.nullable().optional(),
    timeZone: TimeZone.optional(),
    locale: z.enum(['en', 'fr', 'es']).optional(),
    workingHours: WorkingHours.nullable().optional(),
    maxOpenCases: z.number().int().min(0).max(10000).nullable().optional(),
    password: z.string().min(10).max(200).optional(),
  })
  .strict();
export type CreateUserInput = z.infer<typeof CreateUserInput>;

/** Contacts hold only customer roles and belong to one organisation; agents hold only agent roles. */
export function kindForRoles(roles: Role[], organizationId: string | null | undefined): 'agent' | 'contact' {
  const contactRoles = roles.filter((role) => (CONTACT_ROLES as readonly string[]).includes(role));
  const agentRoles = roles.filter((role) => (AGENT_ROLES as readonly string[]).includes(role));
  if (contactRoles.length > 0 && agentRoles.length > 0) throw identityError('USER_ROLES_INVALID', { roles });
  const kind = contactRoles.length > 0 ? 'contact' : 'agent';
  if (kind === 'contact' && !organizationId) throw identityError('USER_ROLES_INVALID', { reason: 'a contact needs an organizationId' });
  if (kind === 'agent' && organizationId) throw identityError('USER_ROLES_INVALID', { reason: 'agents belong to no customer organisation' });
  return kind;
}

export async function createUser(db: Db, actor: Actor, input: CreateUserInput): Promise<User> {
  const roles = [...new Set(input.roles)];
  const kind = kindForRoles(roles, input.organizationId);
  const organizationId = input.organizationId ?? null;
  if (!canIdentity(actor, 'user.create', { id: '', kind, organizationId })) throw identityError('FORBIDDEN');
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction().execute(async (tx) => {
    if (await findUserByEmail(tx, input.email)) throw identityError('USER_EMAIL_TAKEN', { email: input.email });
    const inserted = await insertUser(tx, {
      email: input.email.toLowerCase(),
      name: input.name,
      kind,
      roles,
      organizationId,
      senior: input.senior ?? false,
      supportLine: input.supportLine ?? null,
      timeZone: input.timeZone ?? 'UTC',
      locale: input.locale ?? 'en',
      workingHours: input.workingHours ?? null,
      maxOpenCases: input.maxOpenCases ?? null,
      passwordHash,
    });
    // The check above reads committed rows only: a concurrent create of the same address loses here.
    if (!inserted) throw identityError('USER_EMAIL_TAKEN', { email: input.email });
    const user = inserted;
    await recordAudit(tx, { subjectType: 'user', subjectId: user.id, actorId: actorIdOrNull(actor), action: 'user.created', changes: { roles, kind } });
    await enqueueEvent(tx, 'user.changed', { userId: user.id, change: 'created' });
    return user;
  });
}

/** The system actor has no users row: audit rows record it as null. */
export function actorIdOrNull(actor: Actor): string | null {
  return actor.userId === '00000000-0000-0000-0000-000000000000' ? null : actor.userId;
}
