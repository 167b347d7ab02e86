import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkingHours } from '../identity/index.ts';
import { chooseAssignee, isAtCapacity } from './choose-assignee.ts';
import { isOnShift } from './on-shift.ts';
import { lineOf, type ChooseAssigneeInput, type RoutingCandidate, type RoutingCase } from './routing.types.ts';

const weekdays = (blocks: [string, string][]): WorkingHours => ({ mon: blocks, tue: blocks, wed: blocks, thu: blocks, fri: blocks });
const PARIS_HOURS = weekdays([['09:00', '18:00']]);
const MONTREAL_HOURS = weekdays([['09:00', '17:00']]);

/** Wednesday 4 March 2026: Paris is UTC+1, Montréal UTC-5 (before both DST switches). */
const BOTH_OPEN = new Date('2026-03-04T15:00:00Z'); // Paris 16:00, Montréal 10:00
const PARIS_CLOSED = new Date('2026-03-04T20:00:00Z'); // Paris 21:00, Montréal 15:00
const NIGHT = new Date('2026-03-04T03:00:00Z'); // Paris 04:00, Montréal 22:00 (Tuesday)

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const A = id(1);
const B = id(2);
const C = id(3);
const D = id(4);

function agent(userId: string, overrides: Partial<RoutingCandidate> = {}): RoutingCandidate {
  return { userId, isActive: true, senior: false, supportLine: 'L1', timeZone: 'UTC', workingHours: null, maxOpenCases: null, openCases: 0, lastAssignedAt: null, ...overrides };
}
const paris = (userId: string, overrides: Partial<RoutingCandidate> = {}) => agent(userId, { timeZone: 'Europe/Paris', workingHours: PARIS_HOURS, ...overrides });
const montreal = (userId: string, overrides: Partial<RoutingCandidate> = {}) => agent(userId, { timeZone: 'America/Montreal', workingHours: MONTREAL_HOURS, ...overrides });

const l1Case: RoutingCase = { supportLine: 'L1', isSeniorOnly: false, priority: 'P3' };
const choose = (candidates: RoutingCandidate[], overrides: Partial<ChooseAssigneeInput> = {}) =>
  chooseAssignee({ candidates, case: l1Case, strategy: 'round-robin', now: BOTH_OPEN, ...overrides });

describe('chooseAssignee: shifts and follow-the-sun', () => {
  it('reads working hours in the agent own time zone', () => {
    expect(isOnShift(paris(A), BOTH_OPEN)).toBe(true);
    expect(isOnShift(montreal(B), BOTH_OPEN)).toBe(true);
    expect(isOnShift(paris(A), PARIS_CLOSED)).toBe(false);
    expect(isOnShift(montreal(B), PARIS_CLOSED)).toBe(true);
    expect(isOnShift(paris(A), NIGHT)).toBe(false);
    expect(isOnShift(montreal(B), NIGHT)).toBe(false);
  });

  it('treats no recorded working hours as always available (the notification rule)', () => {
    expect(isOnShift(agent(A, { workingHours: null }), NIGHT)).toBe(true);
    expect(isOnShift(agent(A, { workingHours: {} }), NIGHT)).toBe(true);
  });

  it('honours opening blocks: closed over lunch, at the closing minute, on weekends, across DST', () => {
    const lunch = paris(A, { workingHours: weekdays([['09:00', '12:00'], ['13:00', '18:00']]) });
    expect(isOnShift(lunch, new Date('2026-03-04T11:30:00Z'))).toBe(false); // 12:30 Paris
    expect(isOnShift(lunch, new Date('2026-03-04T12:00:00Z'))).toBe(true); // 13:00 Paris
    expect(isOnShift(paris(A), new Date('2026-03-04T17:00:00Z'))).toBe(false); // 18:00 Paris: blocks are [open, close)
    expect(isOnShift(paris(A), new Date('2026-03-04T16:59:59Z'))).toBe(true);
    expect(isOnShift(paris(A), new Date('2026-03-07T10:00:00Z'))).toBe(false); // Saturday
    // After the European switch (29 March) Paris is UTC+2: 07:30Z is 09:30 local.
    expect(isOnShift(paris(A), new Date('2026-03-30T07:30:00Z'))).toBe(true);
    expect(isOnShift(paris(A), new Date('2026-03-27T07:30:00Z'))).toBe(false); // 08:30 local the Friday before
  });

  it('sends a case that arrives when Paris has closed to the on-shift agent in Montréal', () => {
    const team = [paris(A), montreal(B)];
    expect(choose(team, { now: PARIS_CLOSED, strategy: 'least-loaded' }).assigneeId).toBe(B);
    expect(choose(team, { now: PARIS_CLOSED, strategy: 'round-robin', lastAssignedUserId: B }).assigneeId).toBe(B);
    expect(choose([paris(A, { openCases: 5 }), montreal(B, { openCases: 0 })], { now: BOTH_OPEN, strategy: 'least-loaded' }).assigneeId).toBe(B);
  });
});

describe('chooseAssignee: round-robin', () => {
  it('rotates A, B, C, A over three on-shift agents, in user-id order whatever the input order', () => {
    const team = [agent(C), agent(A), agent(B)];
    const picks: (string | null)[] = [];
    let last: string | null = null;
    for (let i = 0; i < 4; i++) {
      last = choose(team, { lastAssignedUserId: last }).assigneeId;
      picks.push(last);
    }
    expect(picks).toEqual([A, B, C, A]);
  });

  it('skips an agent off shift and keeps the ring', () => {
    const team = [agent(A), paris(B), agent(C)];
    expect(choose(team, { lastAssignedUserId: A, now: PARIS_CLOSED }).assigneeId).toBe(C);
    expect(choose(team, { lastAssignedUserId: A, now: BOTH_OPEN }).assigneeId).toBe(B);
  });

  it('continues after a last assignee who has since left the team', () => {
    expect(choose([agent(A), agent(C), agent(D)], { lastAssignedUserId: B }).assigneeId).toBe(C);
    expect(choose([agent(A), agent(C)], { lastAssignedUserId: D }).assigneeId).toBe(A);
  });

  it('explains the choice for the timeline', () => {
    const choice = choose([agent(A, { maxOpenCases: 10, openCases: 2 })]);
    expect(choice).toMatchObject({ assigneeId: A, rule: 'round-robin' });
    expect(choice.reason).toContain('round-robin');
    expect(choice.reason).toContain('2/10 open cases (20%)');
  });
});

describe('chooseAssignee: least-loaded', () => {
  it('picks the lowest open/max ratio, not the fewest open cases', () => {
    const team = [agent(A, { openCases: 3, maxOpenCases: 10 }), agent(B, { openCases: 1, maxOpenCases: 2 }), agent(C, { openCases: 4, maxOpenCases: 20 })];
    const choice = choose(team, { strategy: 'least-loaded' });
    expect(choice.assigneeId).toBe(C);
    expect(choice.reason).toContain('least-loaded');
  });

  it('breaks ties by the longest idle agent (never routed first), then by user id', () => {
    const older = new Date('2026-03-04T08:00:00Z');
    const newer = new Date('2026-03-04T14:00:00Z');
    const tie = [agent(A, { openCases: 1, maxOpenCases: 4, lastAssignedAt: newer }), agent(B, { openCases: 2, maxOpenCases: 8, lastAssignedAt: older })];
    expect(choose(tie, { strategy: 'least-loaded' }).assigneeId).toBe(B);
    expect(choose([...tie, agent(C, { openCases: 1, maxOpenCases: 4, lastAssignedAt: null })], { strategy: 'least-loaded' }).assigneeId).toBe(C);
    expect(choose([agent(B), agent(A)], { strategy: 'least-loaded' }).assigneeId).toBe(A);
  });

  it('measures an uncapped agent against the largest cap of the pool; with no caps, fewest open cases wins', () => {
    expect(choose([agent(A, { openCases: 3, maxOpenCases: 10 }), agent(B, { openCases: 4, maxOpenCases: null })], { strategy: 'least-loaded' }).assigneeId).toBe(A);
    expect(choose([agent(A, { openCases: 3, maxOpenCases: 5 }), agent(B, { openCases: 4, maxOpenCases: null }), agent(C, { openCases: 9, maxOpenCases: 10 })], { strategy: 'least-loaded' }).assigneeId).toBe(B);
    expect(choose([agent(A, { openCases: 3 }), agent(B, { openCases: 2 })], { strategy: 'least-loaded' }).assigneeId).toBe(B);
  });
});

describe('chooseAssignee: eligibility', () => {
  it('matches the support line exactly; a case or agent without a line is L1', () => {
    const team = [agent(A, { supportLine: 'L1' }), agent(B, { supportLine: 'L2' }), agent(C, { supportLine: 'L3' }), agent(D, { supportLine: null })];
    for (const line of ['L2', 'L3'] as const) {
      for (let i = 0; i < 4; i++) {
        expect(choose(team, { case: { ...l1Case, supportLine: line }, lastAssignedUserId: team[i]!.userId }).assigneeId).toBe(line === 'L2' ? B : C);
      }
    }
    const firstLine = new Set([A, D]);
    expect(firstLine.has(choose(team, { case: { ...l1Case, supportLine: null } }).assigneeId!)).toBe(true);
    expect(choose(team, { case: { ...l1Case, supportLine: null }, lastAssignedUserId: A }).assigneeId).toBe(D);
  });

  it('gives a senior-only plan case to a senior agent only, or to nobody', () => {
    const premium = { ...l1Case, isSeniorOnly: true };
    expect(choose([agent(A), agent(B, { senior: true }), agent(C)], { case: premium, lastAssignedUserId: B }).assigneeId).toBe(B);
    const none = choose([agent(A), agent(C)], { case: { ...premium, priority: 'P1' } });
    expect(none).toMatchObject({ assigneeId: null, rule: 'no-eligible-agent' });
    expect(none.reason).toContain('2 not senior');
  });

  it('respects max open cases (a cap of 0 takes nothing; no cap takes anything)', () => {
    const team = [agent(A, { openCases: 5, maxOpenCases: 5 }), agent(B, { openCases: 0, maxOpenCases: 0 }), agent(C, { openCases: 4, maxOpenCases: 5 })];
    expect(choose(team, { lastAssignedUserId: C }).assigneeId).toBe(C);
    expect(choose(team.slice(0, 2))).toMatchObject({ assigneeId: null, rule: 'no-eligible-agent' });
    expect(choose(team.slice(0, 2)).reason).toContain('2 at max open cases');
    expect(choose([agent(D, { openCases: 500, maxOpenCases: null })]).assigneeId).toBe(D);
    expect(isAtCapacity({ openCases: 6, maxOpenCases: 5 })).toBe(true);
  });

  it('never assigns an inactive agent', () => {
    expect(choose([agent(A, { isActive: false })])).toMatchObject({ assigneeId: null, rule: 'no-eligible-agent' });
    expect(choose([agent(A, { isActive: false })]).reason).toContain('1 inactive');
    expect(choose([]).reason).toContain('no members');
  });
});

describe('chooseAssignee: nobody on shift', () => {
  const night = [paris(A, { openCases: 4, maxOpenCases: 10 }), montreal(B, { openCases: 1, maxOpenCases: 10 }), montreal(C, { supportLine: 'L2' })];

  it('gives a P1 to the least-loaded eligible agent regardless of shift', () => {
    const choice = choose(night, { now: NIGHT, case: { ...l1Case, priority: 'P1' } });
    expect(choice).toMatchObject({ assigneeId: B, rule: 'p1-off-shift' });
    expect(choice.reason).toContain('regardless of working hours');
  });

  it('leaves any other priority unassigned for the next shift, with the reason', () => {
    for (const priority of ['P2', 'P3', 'P4'] as const) {
      const choice = choose(night, { now: NIGHT, case: { ...l1Case, priority } });
      expect(choice).toMatchObject({ assigneeId: null, rule: 'nobody-on-shift' });
      expect(choice.reason).toContain('none on shift');
    }
  });

  it('still applies line, seniority and capacity to the P1 fallback', () => {
    const p1 = { ...l1Case, priority: 'P1' as const };
    expect(choose([paris(A, { openCases: 10, maxOpenCases: 10 })], { now: NIGHT, case: p1 }).assigneeId).toBeNull();
    expect(choose([paris(A)], { now: NIGHT, case: { ...p1, isSeniorOnly: true } }).assigneeId).toBeNull();
    expect(choose([paris(A)], { now: NIGHT, case: { ...p1, supportLine: 'L3' } }).assigneeId).toBeNull();
  });
});

// Properties over random teams. `now` is a Wednesday; "never" agents work only early on Sundays.
const NOW = new Date('2026-03-04T12:34:56Z');
const ALWAYS_BLOCK: [string, string][] = [['00:00', '24:00']];
const shiftArbitrary = fc.constantFrom<Pick<RoutingCandidate, 'timeZone' | 'workingHours'>>(
  { timeZone: 'UTC', workingHours: null },
  { timeZone: 'Asia/Tokyo', workingHours: { mon: ALWAYS_BLOCK, tue: ALWAYS_BLOCK, wed: ALWAYS_BLOCK, thu: ALWAYS_BLOCK, fri: ALWAYS_BLOCK, sat: ALWAYS_BLOCK, sun: ALWAYS_BLOCK } },
  { timeZone: 'Europe/Paris', workingHours: PARIS_HOURS },
  { timeZone: 'America/Montreal', workingHours: MONTREAL_HOURS },
  { timeZone: 'UTC', workingHours: { sun: [['00:00', '00:30']] } },
);
const candidateArbitrary = fc.record({
  userId: fc.uuid(),
  isActive: fc.boolean(),
  senior: fc.boolean(),
  supportLine: fc.constantFrom(null, 'L1' as const, 'L2' as const, 'L3' as const),
  shift: shiftArbitrary,
  maxOpenCases: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  openCases: fc.integer({ min: 0, max: 8 }),
  lastAssignedAt: fc.option(fc.integer({ min: 0, max: 1_000 }).map((minutes) => new Date(NOW.getTime() - minutes * 60_000)), { nil: null }),
}).map(({ shift, ...rest }): RoutingCandidate => ({ ...rest, ...shift }));
const teamArbitrary = fc.uniqueArray(candidateArbitrary, { maxLength: 8, selector: (candidate) => candidate.userId });
const caseArbitrary = fc.record({
  supportLine: fc.constantFrom(null, 'L1' as const, 'L2' as const, 'L3' as const),
  isSeniorOnly: fc.boolean(),
  priority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const, 'P4' as const),
});
const inputArbitrary = fc.record({
  candidates: teamArbitrary,
  case: caseArbitrary,
  strategy: fc.constantFrom('round-robin' as const, 'least-loaded' as const),
  lastAssignedUserId: fc.option(fc.uuid(), { nil: null }),
  now: fc.constant(NOW),
});

const isEligible = (candidate: RoutingCandidate, routed: RoutingCase) =>
  candidate.isActive && lineOf(candidate.supportLine) === lineOf(routed.supportLine) && (!routed.isSeniorOnly || candidate.senior) && !isAtCapacity(candidate);
const ratio = (candidate: RoutingCandidate, pool: RoutingCandidate[]) => {
  const caps = pool.map((member) => member.maxOpenCases).filter((cap): cap is number => cap !== null && cap > 0);
  return candidate.openCases / (candidate.maxOpenCases || (caps.length ? Math.max(...caps) : 1));
};

describe('chooseAssignee: properties', () => {
  it('only ever picks an eligible agent, on shift unless it is the P1 fallback', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const choice = chooseAssignee(input);
        if (choice.assigneeId === null) return;
        const chosen = input.candidates.find((candidate) => candidate.userId === choice.assigneeId)!;
        expect(chosen).toBeDefined();
        expect(isEligible(chosen, input.case)).toBe(true);
        if (choice.rule === 'p1-off-shift') expect(input.case.priority).toBe('P1');
        else expect(isOnShift(chosen, input.now)).toBe(true);
      }),
    );
  });

  it('assigns exactly when someone eligible is on shift, or the case is a P1 with someone eligible', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const eligible = input.candidates.filter((candidate) => isEligible(candidate, input.case));
        const onShift = eligible.some((candidate) => isOnShift(candidate, input.now));
        const expected = onShift || (input.case.priority === 'P1' && eligible.length > 0);
        expect(chooseAssignee(input).assigneeId !== null).toBe(expected);
        expect(chooseAssignee(input).reason.length).toBeGreaterThan(0);
      }),
    );
  });

  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(inputArbitrary, fc.infiniteStream(fc.nat()), (input, seeds) => {
        const shuffled = [...input.candidates].map((candidate) => ({ candidate, key: seeds.next().value })).sort((l, r) => l.key - r.key).map(({ candidate }) => candidate);
        expect(chooseAssignee({ ...input, candidates: shuffled })).toEqual(chooseAssignee(input));
      }),
    );
  });

  it('least-loaded picks a minimal load ratio among the competitors', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const choice = chooseAssignee({ ...input, strategy: 'least-loaded' });
        if (choice.assigneeId === null) return;
        const eligible = input.candidates.filter((candidate) => isEligible(candidate, input.case));
        const onShift = eligible.filter((candidate) => isOnShift(candidate, input.now));
        const pool = choice.rule === 'p1-off-shift' ? eligible : onShift;
        const chosen = pool.find((candidate) => candidate.userId === choice.assigneeId)!;
        for (const other of pool) expect(ratio(chosen, pool)).toBeLessThanOrEqual(ratio(other, pool));
      }),
    );
  });

  it('round-robin is fair: k agents on shift receive m cases each out of k × m', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4 }), fc.option(fc.uuid(), { nil: null }), (ids, rounds, start) => {
        const team = ids.map((userId) => agent(userId));
        const counts = new Map<string, number>();
        let last = start;
        for (let i = 0; i < ids.length * rounds; i++) {
          last = chooseAssignee({ candidates: team, case: l1Case, strategy: 'round-robin', lastAssignedUserId: last, now: NOW }).assigneeId!;
          counts.set(last, (counts.get(last) ?? 0) + 1);
        }
        expect([...counts.values()]).toEqual(ids.map(() => rounds));
      }),
    );
  });
});
