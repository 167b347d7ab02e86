import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { accountsError, findOrganization, setOrganizationPlanCode } from '../accounts/index.ts';
import { actorIdOrNull, identityError, type Actor } from '../identity/index.ts';
import { plansError } from './plans.errors.ts';
import { canPlans } from './plans.policy.ts';
import { findActiveContract, findPlan, insertContract, listContractRows } from './plans.repo.ts';
import type { Contract } from './plans.types.ts';

export const PutContractInput = z.object({ planId: z.uuid(), startsOn: z.iso.date(), endsOn: z.iso.date() }).strict();
export type PutContractInput = z.infer<typeof PutContractInput>;

/** Records the organisation's contract; its plan becomes the organisation's plan reference. */
export async function putContract(db: Db, actor: Actor, organizationId: string, input: PutContractInput): Promise<Contract> {
  if (input.endsOn < input.startsOn) throw plansError('CONTRACT_INVALID');
  return db.transaction().execute(async (tx) => {
    if (!(await findOrganization(tx, organizationId)) || !canPlans(actor, 'contract.read', organizationId)) throw accountsError('ORGANIZATION_NOT_FOUND');
    if (!canPlans(actor, 'contract.manage')) throw identityError('FORBIDDEN');
    const plan = await findPlan(tx, input.planId);
    if (!plan) throw plansError('PLAN_NOT_FOUND');
    const contract = await insertContract(tx, { organizationId, ...input, createdBy: actorIdOrNull(actor) });
    await setOrganizationPlanCode(tx, organizationId, plan.code);
    await recordAudit(tx, { subjectType: 'contract', subjectId: contract.id, actorId: actorIdOrNull(actor), action: 'contract.recorded', changes: { organizationId, plan: plan.code, startsOn: input.startsOn, endsOn: input.endsOn } });
    await enqueueEvent(tx, 'organization.changed', { organizationId, change: 'contract', planId: plan.id });
    return contract;
  });
}

export async function getContracts(db: Db, actor: Actor, organizationId: string, today = new Date().toISOString().slice(0, 10)): Promise<{ active: Contract | null; history: Contract[] }> {
  if (!(await findOrganization(db, organizationId)) || !canPlans(actor, 'contract.read', organizationId)) throw accountsError('ORGANIZATION_NOT_FOUND');
  return { active: (await findActiveContract(db, organizationId, today)) ?? null, history: await listContractRows(db, organizationId) };
}
