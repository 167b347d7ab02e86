import type { PriorityEvaluation, PriorityRule } from './routing.types.ts';

export type PriorityFacts = { product: string | null | undefined; impact: string };

const normalize = (value: string) => value.trim().toLowerCase();

/**
 * The priority a case gets from its product and reported impact. Pure.
 *
 * A rule matches when its impact equals the case's (case-insensitive) and its product is either
 * the case's product (case-insensitive, trimmed) or null (any product). Product-specific rules are
 * tried before generic ones, whatever their positions; within each group the lowest position wins
 * (then the oldest rule, then the id). So "Managed VPS + production-down → P1" beats a generic
 * "production-down → P2", and a hosting server down outranks a domain question (P4).
 * No match: `priority` is null and the caller keeps its own default (an explicit priority, or P3).
 */
export function derivePriority(rules: readonly PriorityRule[], facts: PriorityFacts): PriorityEvaluation {
  const impact = normalize(facts.impact);
  const product = facts.product ? normalize(facts.product) : null;
  const matching = rules.filter((rule) => normalize(rule.impact) === impact && (rule.product === null || (product !== null && normalize(rule.product) === product)));
  const [best] = matching.sort(
    (left, right) =>
      Number(left.product === null) - Number(right.product === null) ||
      left.position - right.position ||
      left.createdAt.localeCompare(right.createdAt) ||
      left.id.localeCompare(right.id),
  );
  if (!best) return { priority: null, ruleId: null, reason: `no rule for impact "${impact}"${product ? ` on product "${facts.product}"` : ''}` };
  const scope = best.product === null ? 'any product' : `product "${best.product}"`;
  return { priority: best.priority, ruleId: best.id, reason: `rule #${best.position}: ${scope} + impact "${best.impact}" → ${best.priority}` };
}
