import type { Db } from '../../platform/db/database.ts';
import { accountsError, findOrganization } from '../accounts/index.ts';
import type { Actor } from '../identity/index.ts';
import { canPanic } from './panic.policy.ts';
import { readPanicAllowance } from './panic-allowance.ts';
import type { PanicQuota } from './panic.types.ts';

/** The organisation's panic quota for the portal (before the confirmation) and for agents. */
export async function getPanicQuota(db: Db, actor: Actor, organizationId: string, now = new Date()): Promise<PanicQuota> {
  if (!canPanic(actor, 'panic.quota.read', organizationId) || !(await findOrganization(db, organizationId))) throw accountsError('ORGANIZATION_NOT_FOUND');
  return readPanicAllowance(db, organizationId, now);
}
