import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, identityError, teamExists, type Actor } from '../identity/index.ts';
import { plansError } from './plans.errors.ts';
import { canPlans } from './plans.policy.ts';
import { findCalendar, findPlan, findPlanByCode, insertPlan, listPlanRows, updatePlanRow } from './plans.repo.ts';
import { PAUSABLE_STATUSES, PlanTargets, type Plan } from './plans.types.ts';

const Thresholds = z.array(z.number().int().min(1).max(99)).max(5);
const planFields = {
  name: z.string().trim().min(1).max(100),
  calendarId: z.uuid(),
  targets: PlanTargets,
  pauseStatuses: z.array(z.enum(PAUSABLE_STATUSES)).max(3).optional(),
  warningThresholds: Thresholds.optional().describe('Percent of a target at which a warning goes out, e.g. [75, 90]'),
  seniorOnly: z.boolean().optional(),
  teamId: z.uuid().nullable().optional(),
  namedTam: z.boolean().optional(),
  panicQuota: z.number().int().min(0).max(1000).nullable().optional(),
  extras: z.record(z.string(), z.unknown()).optional(),
};

export const CreatePlanInput = z.object({ code: z.string().trim().toLowerCase().regex(/^[a-z0-9-]{2,40}$/), ...planFields }).strict();
export type CreatePlanInput = z.infer<typeof CreatePlanInput>;
export const UpdatePlanInput = z
  .object({ ...planFields, name: planFields.name.optional(), calendarId: planFields.calendarId.optional(), targets: planFields.targets.optional() })
  .strict();
export type UpdatePlanInput = z.infer<typeof UpdatePlanInput>;

async function checkReferences(db: Db, input: { calendarId?: string; teamId?: string | null }): Promise<void> {
  if (input.calendarId && !(await findCalendar(db, input.calendarId))) throw plansError('CALENDAR_NOT_FOUND');
  if (input.teamId && !(await teamExists(db, input.teamId))) throw identityError('TEAM_NOT_FOUND');
}

export async function createPlan(db: Db, actor: Actor, input: CreatePlanInput): Promise<Plan> {
  if (!canPlans(actor, 'plan.manage')) throw identityError('FORBIDDEN');
  await checkReferences(db, input);
  return db.transaction().execute(async (tx) => {
    if (await findPlanByCode(tx, input.code)) throw plansError('PLAN_CODE_TAKEN', { code: input.code });
    const plan = await insertPlan(tx, { ...input, pauseStatuses: input.pauseStatuses ?? ['pending-customer'], warningThresholds: input.warningThresholds ?? [75, 90] });
    await recordAudit(tx, { subjectType: 'plan', subjectId: plan.id, actorId: actorIdOrNull(actor), action: 'plan.created', changes: { code: plan.code } });
    return plan;
  });
}

/** The plan fields the SLA clocks read: changing one recomputes the clocks of the plan's open cases. */
const CLOCK_FIELDS = ['calendarId', 'targets', 'pauseStatuses', 'warningThresholds'] as const;

/** Changing a plan's calendar, targets, pauses or warnings recomputes its open cases' clocks (outbox `plan.changed`). */
export async function updatePlan(db: Db, actor: Actor, id: string, input: UpdatePlanInput): Promise<Plan> {
  if (!canPlans(actor, 'plan.manage')) throw identityError('FORBIDDEN');
  await checkReferences(db, input);
  return db.transaction().execute(async (tx) => {
    const current = await findPlan(tx, id);
    if (!current) throw plansError('PLAN_NOT_FOUND');
    const updated = (await updatePlanRow(tx, id, input))!;
    const changes = diffFields(current as unknown as Record<string, unknown>, input);
    await recordAudit(tx, { subjectType: 'plan', subjectId: id, actorId: actorIdOrNull(actor), action: 'plan.updated', changes });
    if (CLOCK_FIELDS.some((field) => field in changes)) await enqueueEvent(tx, 'plan.changed', { planId: id, changed: Object.keys(changes) });
    return updated;
  });
}

export async function getPlan(db: Db, actor: Actor, id: string): Promise<Plan> {
  const plan = canPlans(actor, 'plan.read') ? await findPlan(db, id) : undefined;
  if (!plan) throw plansError('PLAN_NOT_FOUND');
  return plan;
}

export async function listPlans(db: Db, actor: Actor): Promise<Plan[]> {
  if (!canPlans(actor, 'plan.read')) throw identityError('FORBIDDEN');
  return listPlanRows(db);
}
