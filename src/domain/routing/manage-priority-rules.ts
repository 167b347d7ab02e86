import { z } from 'zod';
import type { Db, Executor } from '../../platform/db/database.ts';
import { identityError, type Actor } from '../identity/index.ts';
import { Priority } from '../tickets/index.ts';
import { derivePriority } from './derive-priority.ts';
import { routingError } from './routing.errors.ts';
import { canRouting } from './routing.policy.ts';
import { deletePriorityRuleRow, insertPriorityRule, listPriorityRuleRows } from './routing.repo.ts';
import { Impact, type PriorityEvaluation, type PriorityRule } from './routing.types.ts';

const Product = z.string().trim().min(1).max(200);

export const CreatePriorityRuleInput = z
  .object({
    product: Product.nullable().optional().describe('The product it applies to; null or absent = any product'),
    impact: Impact,
    priority: Priority,
    position: z.number().int().min(0).max(1_000_000).optional().describe('Order among rules of the same kind (lower first); default: after the last'),
  })
  .strict();
export type CreatePriorityRuleInput = z.infer<typeof CreatePriorityRuleInput>;

export const EvaluatePriorityInput = z.object({ product: Product.nullable().optional(), impact: Impact }).strict();
export type EvaluatePriorityInput = z.infer<typeof EvaluatePriorityInput>;

export async function listPriorityRules(db: Db, actor: Actor): Promise<PriorityRule[]> {
  if (!canRouting(actor, 'priority-rule.read')) throw identityError('FORBIDDEN');
  return listPriorityRuleRows(db);
}

export async function createPriorityRule(db: Db, actor: Actor, input: CreatePriorityRuleInput): Promise<PriorityRule> {
  if (!canRouting(actor, 'priority-rule.manage')) throw identityError('FORBIDDEN');
  return insertPriorityRule(db, { product: input.product ?? null, impact: input.impact, priority: input.priority, position: input.position });
}

export async function deletePriorityRule(db: Db, actor: Actor, ruleId: string): Promise<void> {
  if (!canRouting(actor, 'priority-rule.manage')) throw identityError('FORBIDDEN');
  if (!(await deletePriorityRuleRow(db, ruleId))) throw routingError('PRIORITY_RULE_NOT_FOUND');
}

/**
 * The priority the rules give a product and impact (see derivePriority). Takes an executor so a
 * case-creating transaction can call it: `priority: input.priority ?? (await evaluatePriority(tx,
 * { product, impact })).priority ?? 'P3'`.
 */
export async function evaluatePriority(executor: Executor, facts: EvaluatePriorityInput): Promise<PriorityEvaluation> {
  return derivePriority(await listPriorityRuleRows(executor), { product: facts.product ?? null, impact: facts.impact });
}

/** The evaluation as an agent asks for it through the API. */
export async function evaluatePriorityFor(db: Db, actor: Actor, facts: EvaluatePriorityInput): Promise<PriorityEvaluation> {
  if (!canRouting(actor, 'priority-rule.read')) throw identityError('FORBIDDEN');
  return evaluatePriority(db, facts);
}
