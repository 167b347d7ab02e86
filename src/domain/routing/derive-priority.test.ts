import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivePriority } from './derive-priority.ts';
import type { PriorityRule } from './routing.types.ts';

let sequence = 0;
function rule(product: string | null, impact: string, priority: PriorityRule['priority'], position: number): PriorityRule {
  sequence += 1;
  return { id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`, product, impact, priority, position, createdAt: `2026-01-01T00:00:${String(sequence % 60).padStart(2, '0')}.000Z` };
}

const vpsDown = rule('Managed VPS', 'production-down', 'P1', 10);
const domainQuestion = rule('Domains', 'question', 'P4', 20);
const anyDown = rule(null, 'production-down', 'P2', 1);
const anyQuestion = rule(null, 'question', 'P3', 5);
const RULES = [anyDown, domainQuestion, anyQuestion, vpsDown];

describe('derivePriority', () => {
  it('ranks a hosting server down above a domain question', () => {
    expect(derivePriority(RULES, { product: 'Managed VPS', impact: 'production-down' })).toMatchObject({ priority: 'P1', ruleId: vpsDown.id });
    expect(derivePriority(RULES, { product: 'Domains', impact: 'question' })).toMatchObject({ priority: 'P4', ruleId: domainQuestion.id });
  });

  it('tries product-specific rules before generic ones, whatever their positions', () => {
    expect(anyDown.position).toBeLessThan(vpsDown.position);
    expect(derivePriority(RULES, { product: 'Managed VPS', impact: 'production-down' }).ruleId).toBe(vpsDown.id);
  });

  it('falls back to a generic rule for another product or no product', () => {
    expect(derivePriority(RULES, { product: 'Mail', impact: 'production-down' })).toMatchObject({ priority: 'P2', ruleId: anyDown.id });
    expect(derivePriority(RULES, { product: null, impact: 'question' })).toMatchObject({ priority: 'P3', ruleId: anyQuestion.id });
    expect(derivePriority(RULES, { product: undefined, impact: 'production-down' }).ruleId).toBe(anyDown.id);
  });

  it('compares product and impact without regard to case or surrounding spaces', () => {
    expect(derivePriority(RULES, { product: '  managed vps ', impact: 'Production-Down' }).ruleId).toBe(vpsDown.id);
  });

  it('reports no priority (the caller keeps its default) when nothing matches, with a reason', () => {
    const none = derivePriority(RULES, { product: 'Domains', impact: 'degraded' });
    expect(none).toMatchObject({ priority: null, ruleId: null });
    expect(none.reason).toContain('degraded');
    expect(derivePriority([], { product: null, impact: 'question' }).priority).toBeNull();
  });

  it('among rules of one kind, the lowest position wins, then the oldest', () => {
    const first = rule(null, 'degraded', 'P2', 3);
    const second = rule(null, 'degraded', 'P3', 7);
    const sameSlot = rule(null, 'degraded', 'P4', 3);
    expect(derivePriority([second, sameSlot, first], { product: 'x', impact: 'degraded' }).ruleId).toBe(first.id);
  });

  const ruleArbitrary = fc.record({
    id: fc.uuid(),
    product: fc.constantFrom(null, 'Managed VPS', 'Domains', 'Mail'),
    impact: fc.constantFrom('production-down', 'degraded', 'question'),
    priority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const, 'P4' as const),
    position: fc.integer({ min: 0, max: 20 }),
    createdAt: fc.integer({ min: 0, max: 1e9 }).map((offset) => new Date(Date.UTC(2026, 0, 1) + offset).toISOString()),
  });
  const factsArbitrary = fc.record({ product: fc.constantFrom(null, 'Managed VPS', 'Domains', 'Mail', 'Other'), impact: fc.constantFrom('production-down', 'degraded', 'question') });

  it('property: the chosen rule matches, is product-specific when one matches, and is first of its group', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ruleArbitrary, { selector: (r) => r.id, maxLength: 12 }), factsArbitrary, (rules, facts) => {
        const result = derivePriority(rules, facts);
        const matches = rules.filter((r) => r.impact === facts.impact && (r.product === null || r.product === facts.product));
        if (matches.length === 0) {
          expect(result.ruleId).toBeNull();
          return;
        }
        const chosen = rules.find((r) => r.id === result.ruleId)!;
        expect(matches).toContain(chosen);
        expect(result.priority).toBe(chosen.priority);
        const specific = matches.filter((r) => r.product !== null);
        const group = specific.length > 0 ? specific : matches;
        expect(group).toContain(chosen);
        for (const other of group) expect(chosen.position).toBeLessThanOrEqual(other.position);
      }),
    );
  });

  it('property: the order the rules are listed in does not matter', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ruleArbitrary, { selector: (r) => r.id, maxLength: 12 }), factsArbitrary, (rules, facts) => {
        expect(derivePriority([...rules].reverse(), facts)).toEqual(derivePriority(rules, facts));
      }),
    );
  });
});
