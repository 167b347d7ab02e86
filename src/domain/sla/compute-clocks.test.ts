/** SLA clock transitions, computed by hand against the reference plans (expected values are not produced by the code). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { twentyFourSevenCalendar } from './calendar.types.ts';
import { computeClocks, explainClocks } from './compute-clocks.ts';
import type { CaseEvent, ClockPolicy, SlaClock, SlaPriority, SlaTargets } from './sla.types.ts';
import { STANDARD } from './test-fixtures.ts';

const STANDARD_TARGETS: SlaTargets = {
  P1: { firstResponse: { days: 1 }, nextResponse: { minutes: 240 }, resolution: { days: 1 } },
  P2: { firstResponse: { days: 1 }, nextResponse: { minutes: 480 }, resolution: { days: 3 } },
  P3: { firstResponse: { days: 1 }, nextResponse: { days: 1 }, resolution: { days: 5 } },
  P4: { firstResponse: { days: 1 }, nextResponse: { days: 2 }, resolution: { days: 10 } },
};
const PREMIUM_TARGETS: SlaTargets = {
  P1: { firstResponse: { minutes: 60 }, nextResponse: { minutes: 60 }, resolution: { minutes: 480 } },
  P2: { firstResponse: { minutes: 60 }, nextResponse: { minutes: 120 }, resolution: { minutes: 1440 } },
  P3: { firstResponse: { minutes: 240 }, nextResponse: { minutes: 480 }, resolution: { minutes: 4320 } },
  P4: { firstResponse: { minutes: 480 }, nextResponse: { minutes: 1440 }, resolution: { minutes: 10080 } },
};
const ALWAYS = twentyFourSevenCalendar('Etc/UTC');

const standard: ClockPolicy = { planCode: 'standard', calendarName: 'Toronto business hours', calendar: STANDARD, targets: STANDARD_TARGETS, pauseStatuses: ['pending-customer'], warningThresholds: [75, 90] };
const premium: ClockPolicy = { planCode: 'premium', calendarName: '24/7', calendar: ALWAYS, targets: PREMIUM_TARGETS, pauseStatuses: ['pending-customer'], warningThresholds: [75, 90] };

const at = (iso: string) => new Date(iso);
const created = (iso: string, priority: SlaPriority = 'P1', status = 'new'): CaseEvent => ({ at: at(iso), type: 'created', status, priority });
const status = (iso: string, value: string): CaseEvent => ({ at: at(iso), type: 'status', status: value });
const priority = (iso: string, value: SlaPriority): CaseEvent => ({ at: at(iso), type: 'priority', priority: value });
const agentReply = (iso: string): CaseEvent => ({ at: at(iso), type: 'agent-public-reply' });
const customerReply = (iso: string): CaseEvent => ({ at: at(iso), type: 'customer-public-reply' });

const clock = <T extends SlaClock>(clocks: T[], kind: SlaClock['kind'], cycle = 1): T => {
  const found = clocks.find((c) => c.kind === kind && c.cycle === cycle);
  if (!found) throw new Error(`no ${kind} clock, cycle ${cycle}`);
  return found;
};
const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('first response on Premium (24/7, 1 hour for P1)', () => {
  const history = [created('2026-11-23T10:00:00Z', 'P1')];

  it('runs with a due time one hour after creation, warnings at 75 % and 90 %, and the next check at the first warning', () => {
    const first = clock(explainClocks(premium, history, at('2026-11-23T10:30:00Z')), 'first-response');
    expect(first).toMatchObject({ state: 'running', targetSeconds: 3600, businessSeconds: 1800, isBreached: false, stoppedAt: null });
    expect(iso(first.dueAt)).toBe('2026-11-23T11:00:00.000Z');
    expect(first.checkpoints.map((c) => [c.threshold, iso(c.at)])).toEqual([
      [75, '2026-11-23T10:45:00.000Z'],
      [90, '2026-11-23T10:54:00.000Z'],
      [100, '2026-11-23T11:00:01.000Z'],
    ]);
    expect(iso(first.nextCheckAt)).toBe('2026-11-23T10:45:00.000Z');
    expect(iso(clock(explainClocks(premium, history, at('2026-11-23T10:50:00Z')), 'first-response').nextCheckAt)).toBe('2026-11-23T10:54:00.000Z');
    expect(first.explanation.lines[0]).toBe('Due 2026-11-23T11:00Z: 1h around the clock (24/7) from 2026-11-23T10:00Z');
    expect(first.explanation).toMatchObject({ plan: 'premium', priority: 'P1', target: { configured: { minutes: 60 }, seconds: 3600 }, calendar: { name: '24/7', timeZone: 'Etc/UTC', twentyFourSeven: true } });
  });

  it('is met on time by an agent public reply before the due time', () => {
    const first = clock(explainClocks(premium, [...history, agentReply('2026-11-23T10:40:00Z')], at('2026-11-23T12:00:00Z')), 'first-response');
    expect(first).toMatchObject({ state: 'met', isBreached: false, businessSeconds: 2400, nextCheckAt: null });
    expect(iso(first.stoppedAt)).toBe('2026-11-23T10:40:00.000Z');
    expect(first.explanation.stopReason).toBe('agent-public-reply');
    expect(first.explanation.lines.at(-1)).toContain('on time');
  });

  it('a reply within the due second is on time; one second later it is late', () => {
    const onTime = clock(explainClocks(premium, [...history, agentReply('2026-11-23T11:00:00.900Z')], at('2026-11-23T12:00:00Z')), 'first-response');
    expect(onTime.isBreached).toBe(false);
    const late = clock(explainClocks(premium, [...history, agentReply('2026-11-23T11:00:01Z')], at('2026-11-23T12:00:00Z')), 'first-response');
    expect(late.isBreached).toBe(true);
  });

  it('is met late (state met, breach flag kept) by a reply after the due time', () => {
    const first = clock(explainClocks(premium, [...history, agentReply('2026-11-23T11:20:00Z')], at('2026-11-23T12:00:00Z')), 'first-response');
    expect(first).toMatchObject({ state: 'met', isBreached: true, businessSeconds: 4800 });
    expect(first.explanation.lines.at(-1)).toContain('late');
  });

  it('is breached while running past its due time, with nothing left to check', () => {
    expect(clock(explainClocks(premium, history, at('2026-11-23T11:00:00.500Z')), 'first-response').state).toBe('running');
    const first = clock(explainClocks(premium, history, at('2026-11-23T11:05:00Z')), 'first-response');
    expect(first).toMatchObject({ state: 'breached', isBreached: true, nextCheckAt: null, businessSeconds: 3900 });
    expect(first.explanation.lines.at(-1)).toContain('Breached');
  });

  it('the first message of the case and customer replies before the first response do not stop it', () => {
    const clocks = explainClocks(premium, [...history, customerReply('2026-11-23T10:10:00Z')], at('2026-11-23T10:20:00Z'));
    expect(clock(clocks, 'first-response').state).toBe('running');
    expect(clocks.filter((c) => c.kind === 'next-response')).toEqual([]);
  });

  it('a case solved before any agent reply stops first response (reason solved)', () => {
    const clocks = explainClocks(premium, [...history, status('2026-11-23T10:30:00Z', 'solved')], at('2026-11-23T12:00:00Z'));
    expect(clock(clocks, 'first-response')).toMatchObject({ state: 'met', isBreached: false });
    expect(clock(clocks, 'first-response').explanation.stopReason).toBe('solved');
    expect(clock(clocks, 'resolution')).toMatchObject({ state: 'met', isBreached: false, businessSeconds: 1800 });
  });
});

describe('pauses (pending-customer)', () => {
  const history = [created('2026-11-23T10:00:00Z', 'P1'), status('2026-11-23T10:20:00Z', 'pending-customer')];

  it('a paused clock is paused, its due time counts the pause up to now and it has no next check', () => {
    const first = clock(explainClocks(premium, history, at('2026-11-23T10:40:00Z')), 'first-response');
    expect(first).toMatchObject({ state: 'paused', businessSeconds: 1200, nextCheckAt: null, isBreached: false });
    expect(iso(first.dueAt)).toBe('2026-11-23T11:20:00.000Z');
    expect(first.explanation.pauses).toEqual([{ from: '2026-11-23T10:20:00.000Z', to: '2026-11-23T10:40:00.000Z', status: 'pending-customer', isOngoing: true, businessSeconds: 1200 }]);
    expect(first.explanation.lines.at(-1)).toContain('Paused since 2026-11-23T10:20Z while pending-customer');
    // Still paused later: the due time keeps moving out.
    expect(iso(clock(explainClocks(premium, history, at('2026-11-23T13:00:00Z')), 'first-response').dueAt)).toBe('2026-11-23T13:40:00.000Z');
  });

  it('on resume the due time is pushed by the paused time and the clock runs again', () => {
    const resumed = [...history, status('2026-11-23T10:50:00Z', 'open')];
    const first = clock(explainClocks(premium, resumed, at('2026-11-23T11:00:00Z')), 'first-response');
    expect(first).toMatchObject({ state: 'running', businessSeconds: 1800 });
    expect(iso(first.dueAt)).toBe('2026-11-23T11:30:00.000Z');
    expect(iso(first.nextCheckAt)).toBe('2026-11-23T11:15:00.000Z');
    expect(first.explanation.lines[0]).toBe('Due 2026-11-23T11:30Z: 1h around the clock (24/7) from 2026-11-23T10:00Z, +30m paused while pending-customer');
  });

  it('statuses outside the plan pause list do not pause; a plan may pause on pending-vendor too', () => {
    const vendor = [created('2026-11-23T10:00:00Z', 'P1'), status('2026-11-23T10:20:00Z', 'pending-vendor'), status('2026-11-23T10:50:00Z', 'open')];
    expect(iso(clock(explainClocks(premium, vendor, at('2026-11-23T10:55:00Z')), 'first-response').dueAt)).toBe('2026-11-23T11:00:00.000Z');
    const both = { ...premium, pauseStatuses: ['pending-customer', 'pending-vendor'] };
    expect(iso(clock(explainClocks(both, vendor, at('2026-11-23T10:55:00Z')), 'first-response').dueAt)).toBe('2026-11-23T11:30:00.000Z');
  });

  it('a clock already past its due time stays breached when the case is then paused', () => {
    const late = [created('2026-11-23T10:00:00Z', 'P1'), status('2026-11-23T11:30:00Z', 'pending-customer')];
    expect(clock(explainClocks(premium, late, at('2026-11-23T12:00:00Z')), 'first-response')).toMatchObject({ state: 'breached', isBreached: true });
  });

  it('on business hours a business-day target is pushed by the paused business time', () => {
    // Mon 2026-11-23 09:00 Toronto (EST) + 1 business day = Tue 09:00; 2 h paused on Monday -> Tue 11:00.
    const paused = [created('2026-11-23T14:00:00Z', 'P3', 'open'), status('2026-11-23T15:00:00Z', 'pending-customer'), status('2026-11-23T17:00:00Z', 'open')];
    const first = clock(explainClocks(standard, paused, at('2026-11-23T18:00:00Z')), 'first-response');
    expect(iso(first.dueAt)).toBe('2026-11-24T16:00:00.000Z');
    expect(first.explanation.lines[0]).toBe('Due 2026-11-24T16:00Z: 1 business day on Toronto business hours (America/Toronto) from 2026-11-23T14:00Z, +2h paused while pending-customer');
  });
});

describe('priority changes', () => {
  it('recompute the due time of a running clock from its start with the new target, and say so', () => {
    const history = [created('2026-11-23T10:00:00Z', 'P3'), priority('2026-11-23T10:30:00Z', 'P1')];
    const before = clock(explainClocks(premium, history.slice(0, 1), at('2026-11-23T10:20:00Z')), 'first-response');
    expect(iso(before.dueAt)).toBe('2026-11-23T14:00:00.000Z');
    const first = clock(explainClocks(premium, history, at('2026-11-23T10:45:00Z')), 'first-response');
    expect(first).toMatchObject({ state: 'running', targetSeconds: 3600 });
    expect(iso(first.dueAt)).toBe('2026-11-23T11:00:00.000Z');
    expect(first.explanation.priority).toBe('P1');
    expect(first.explanation.priorityChanges).toEqual([{ at: '2026-11-23T10:30:00.000Z', from: 'P3', to: 'P1' }]);
    expect(first.explanation.lines).toContain('Priority changed from P3 to P1 at 2026-11-23T10:30Z: the due time was recomputed from the start with the P1 target (1h)');
  });

  it('a raise after the new target has elapsed breaches at once', () => {
    const history = [created('2026-11-23T10:00:00Z', 'P3'), priority('2026-11-23T11:30:00Z', 'P1')];
    expect(clock(explainClocks(premium, history, at('2026-11-23T11:31:00Z')), 'first-response').state).toBe('breached');
  });

  it('a stopped clock keeps the target of the priority in force when it stopped', () => {
    const history = [created('2026-11-23T10:00:00Z', 'P3'), agentReply('2026-11-23T10:20:00Z'), priority('2026-11-23T10:30:00Z', 'P1')];
    const clocks = explainClocks(premium, history, at('2026-11-23T12:00:00Z'));
    expect(clock(clocks, 'first-response')).toMatchObject({ state: 'met', targetSeconds: 4 * 3600, isBreached: false });
    expect(clock(clocks, 'first-response').explanation.priorityChanges).toEqual([]);
    expect(clock(clocks, 'resolution')).toMatchObject({ state: 'running', targetSeconds: 8 * 3600 });
  });
});

describe('next-response cycles', () => {
  const history = [
    created('2026-11-23T10:00:00Z', 'P2'),
    agentReply('2026-11-23T10:30:00Z'),
    customerReply('2026-11-23T11:00:00Z'), // cycle 1
    agentReply('2026-11-23T12:30:00Z'), // met on time (90 min of 120)
    customerReply('2026-11-23T13:00:00Z'), // cycle 2
    customerReply('2026-11-23T13:10:00Z'), // still cycle 2
    agentReply('2026-11-23T15:30:00Z'), // met late (150 min)
    customerReply('2026-11-23T16:00:00Z'), // cycle 3
  ];

  it('keeps one clock per cycle with its own breach flag; only the latest runs', () => {
    const clocks = explainClocks(premium, history, at('2026-11-23T16:30:00Z'));
    const cycles = clocks.filter((c) => c.kind === 'next-response');
    expect(cycles.map((c) => [c.cycle, c.state, c.isBreached, c.businessSeconds])).toEqual([
      [1, 'met', false, 5400],
      [2, 'met', true, 9000],
      [3, 'running', false, 1800],
    ]);
    expect(iso(cycles[2]!.dueAt)).toBe('2026-11-23T18:00:00.000Z');
    expect(cycles[2]!.explanation.lines).toContain('Cycle 3 started by a customer public reply at 2026-11-23T16:00Z');
    expect(clock(clocks, 'first-response')).toMatchObject({ state: 'met', isBreached: false });
  });

  it('solving the case stops the running cycle; a customer reply that reopens starts a new one', () => {
    const solvedThenReopened = [...history, status('2026-11-23T16:10:00Z', 'solved'), status('2026-11-23T17:00:00Z', 'open'), customerReply('2026-11-23T17:00:00Z')];
    const cycles = explainClocks(premium, solvedThenReopened, at('2026-11-23T17:30:00Z')).filter((c) => c.kind === 'next-response');
    expect(cycles.map((c) => [c.cycle, c.state, c.explanation.stopReason])).toEqual([
      [1, 'met', 'agent-public-reply'],
      [2, 'met', 'agent-public-reply'],
      [3, 'met', 'solved'],
      [4, 'running', null],
    ]);
  });
});

describe('resolution', () => {
  it('stops at solved and resumes on reopen: the time while solved counts as a pause', () => {
    const history = [
      created('2026-11-23T10:00:00Z', 'P1'),
      agentReply('2026-11-23T10:30:00Z'),
      status('2026-11-23T12:00:00Z', 'solved'),
      status('2026-11-23T14:00:00Z', 'open'),
      customerReply('2026-11-23T14:00:00Z'),
    ];
    const solved = clock(explainClocks(premium, history.slice(0, 3), at('2026-11-23T13:00:00Z')), 'resolution');
    expect(solved).toMatchObject({ state: 'met', isBreached: false, businessSeconds: 7200 });
    expect(iso(solved.stoppedAt)).toBe('2026-11-23T12:00:00.000Z');
    const reopened = clock(explainClocks(premium, history, at('2026-11-23T15:00:00Z')), 'resolution');
    expect(reopened).toMatchObject({ state: 'running', stoppedAt: null, businessSeconds: 3 * 3600 });
    expect(iso(reopened.dueAt)).toBe('2026-11-23T20:00:00.000Z');
    expect(reopened.explanation.lines).toContain('Reopened at 2026-11-23T14:00Z: the time while solved (2h business) does not count');
    const cycle = clock(explainClocks(premium, history, at('2026-11-23T15:00:00Z')), 'next-response');
    expect(cycle).toMatchObject({ state: 'running' });
  });

  it('closing stops it for good; closed after solved keeps the solve time', () => {
    const history = [created('2026-11-23T10:00:00Z', 'P1'), status('2026-11-23T12:00:00Z', 'solved'), status('2026-11-24T12:00:00Z', 'closed')];
    expect(iso(clock(explainClocks(premium, history, at('2026-11-25T00:00:00Z')), 'resolution').stoppedAt)).toBe('2026-11-23T12:00:00.000Z');
  });
});

describe('24/7 against business hours (Standard: Toronto 08:00-20:00 Mon-Fri)', () => {
  it('a case opened Friday 19:00 Toronto on Standard is due Monday 19:00; on Premium 24/7 (P3, 4 h) on Saturday 04:00 UTC', () => {
    const friday = [created('2026-11-21T00:00:00Z', 'P3')]; // Fri 2026-11-20 19:00 EST
    const onStandard = clock(explainClocks(standard, friday, at('2026-11-21T00:30:00Z')), 'first-response');
    expect(iso(onStandard.dueAt)).toBe('2026-11-24T00:00:00.000Z'); // Mon 2026-11-23 19:00 EST
    expect(onStandard.targetSeconds).toBe(12 * 3600); // Fri 19-20 + Mon 08-19
    const onPremium = clock(explainClocks(premium, friday, at('2026-11-21T00:30:00Z')), 'first-response');
    expect(iso(onPremium.dueAt)).toBe('2026-11-21T04:00:00.000Z');
  });

  it("Standard's first response within 1 business day: Monday 09:00 Toronto is due Tuesday 09:00, warnings on business time", () => {
    const first = clock(explainClocks(standard, [created('2026-11-23T14:00:00Z', 'P2')], at('2026-11-23T15:00:00Z')), 'first-response');
    expect(iso(first.dueAt)).toBe('2026-11-24T14:00:00.000Z');
    expect(first.targetSeconds).toBe(12 * 3600);
    expect(first.checkpoints.map((c) => iso(c.at))).toEqual(['2026-11-23T23:00:00.000Z', '2026-11-24T00:48:00.000Z', '2026-11-24T14:00:01.000Z']);
    expect(first.explanation.lines[0]).toBe('Due 2026-11-24T14:00Z: 1 business day on Toronto business hours (America/Toronto) from 2026-11-23T14:00Z');
  });

  it('business minutes skip nights and weekends, and the clock consumes nothing while closed', () => {
    // Standard P1 next response 240 min; cycle starts Fri 18:00 EST (23:00Z) -> 2 h Fri, 2 h Mon -> Mon 10:00 EST.
    const history = [created('2026-11-20T14:00:00Z', 'P1'), agentReply('2026-11-20T15:00:00Z'), customerReply('2026-11-20T23:00:00Z')];
    const cycle = clock(explainClocks(standard, history, at('2026-11-22T12:00:00Z')), 'next-response');
    expect(iso(cycle.dueAt)).toBe('2026-11-23T15:00:00.000Z');
    expect(cycle).toMatchObject({ state: 'running', businessSeconds: 2 * 3600 });
  });
});

describe('explanations and inputs', () => {
  it('outside business hours the explanation names the first counting moment', () => {
    const first = clock(explainClocks(standard, [created('2026-11-21T15:00:00Z', 'P1')], at('2026-11-21T16:00:00Z')), 'first-response');
    expect(first.businessSeconds).toBe(0);
    expect(first.explanation.lines).toContain('Started outside business hours: the clock counts from 2026-11-23T13:00Z');
  });

  it('ignores events after now and rejects a history without its created event', () => {
    const history = [created('2026-11-23T10:00:00Z', 'P1'), agentReply('2026-11-23T12:00:00Z')];
    expect(clock(explainClocks(premium, history, at('2026-11-23T10:30:00Z')), 'first-response').state).toBe('running');
    expect(() => explainClocks(premium, [agentReply('2026-11-23T10:00:00Z')], at('2026-11-23T10:30:00Z'))).toThrow(RangeError);
  });

  it('lists the events a clock used, never anything but public replies and status or priority changes', () => {
    const history = [created('2026-11-23T10:00:00Z', 'P1'), status('2026-11-23T10:05:00Z', 'open'), agentReply('2026-11-23T10:10:00Z')];
    const first = clock(explainClocks(premium, history, at('2026-11-23T11:00:00Z')), 'first-response');
    expect(first.explanation.events.map((event) => event.type)).toEqual(['created', 'status', 'agent-public-reply']);
  });
});

// Property tests: random histories on both calendars.

const STATUSES = ['new', 'open', 'pending-customer', 'pending-vendor', 'on-hold', 'solved', 'open', 'open'];
const START = Date.parse('2026-03-02T13:00:00Z');
const eventArbitrary = fc.record({
  gapSeconds: fc.integer({ min: 0, max: 8 * 3600 }),
  kind: fc.constantFrom('status', 'priority', 'agent-public-reply', 'customer-public-reply', 'customer-public-reply'),
  status: fc.constantFrom(...STATUSES),
  priority: fc.constantFrom<SlaPriority>('P1', 'P2', 'P3', 'P4'),
});
const historyArbitrary = fc
  .record({
    startOffset: fc.integer({ min: 0, max: 60 * 86_400 }),
    priority: fc.constantFrom<SlaPriority>('P1', 'P2', 'P3', 'P4'),
    events: fc.array(eventArbitrary, { maxLength: 14 }),
    tailSeconds: fc.integer({ min: 0, max: 5 * 86_400 }),
  })
  .map(({ startOffset, priority: initial, events, tailSeconds }) => {
    let t = START + startOffset * 1000;
    const history: CaseEvent[] = [{ at: new Date(t), type: 'created', status: 'new', priority: initial }];
    for (const event of events) {
      t += event.gapSeconds * 1000;
      const at = new Date(t);
      if (event.kind === 'status') history.push({ at, type: 'status', status: event.status });
      else if (event.kind === 'priority') history.push({ at, type: 'priority', priority: event.priority });
      else history.push({ at, type: event.kind as CaseEvent['type'] });
    }
    return { history, now: new Date(t + tailSeconds * 1000) };
  });
const policies: Array<[string, ClockPolicy]> = [
  ['premium 24/7', premium],
  ['standard business hours', standard],
];

describe.each(policies)('properties on %s', (_name, policy) => {
  it('pauses never make a due time earlier', () => {
    const noPauses = { ...policy, pauseStatuses: [] };
    const morePauses = { ...policy, pauseStatuses: ['pending-customer', 'pending-vendor', 'on-hold'] };
    fc.assert(
      fc.property(historyArbitrary, ({ history, now }) => {
        const without = computeClocks(noPauses, history, now);
        const withPauses = computeClocks(morePauses, history, now);
        expect(withPauses.map((c) => `${c.kind}/${c.cycle}`)).toEqual(without.map((c) => `${c.kind}/${c.cycle}`));
        withPauses.forEach((c, index) => expect(c.dueAt.getTime()).toBeGreaterThanOrEqual(without[index]!.dueAt.getTime()));
      }),
      { numRuns: 150 },
    );
  });

  it('recomputing is idempotent and ignores the future', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer({ min: 1, max: 86_400 }), ({ history, now }, extraSeconds) => {
        const first = computeClocks(policy, history, now);
        expect(computeClocks(policy, history, now)).toEqual(first);
        const future: CaseEvent = { at: new Date(now.getTime() + extraSeconds * 1000), type: 'agent-public-reply' };
        expect(computeClocks(policy, [...history, future], now)).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });

  it('the explained clocks are exactly the stored clocks plus their explanation', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ history, now }) => {
        const explained = explainClocks(policy, history, now);
        expect(explained.map(({ explanation: _explanation, ...clock }) => clock)).toEqual(computeClocks(policy, history, now));
        for (const c of explained) expect(c.explanation.dueAt).toBe(c.dueAt.toISOString());
      }),
      { numRuns: 150 },
    );
  });

  it('a clock never consumes more than the business time since its start; only the latest next-response cycle can run', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ history, now }) => {
        const clocks = computeClocks(policy, history, now);
        const cycles = clocks.filter((c) => c.kind === 'next-response');
        expect(cycles.slice(0, -1).every((c) => c.stoppedAt !== null)).toBe(true);
        for (const c of clocks) {
          expect(c.businessSeconds).toBeGreaterThanOrEqual(0);
          expect(c.businessSeconds).toBeLessThanOrEqual(Math.max(0, ((c.stoppedAt ?? now).getTime() - c.startedAt.getTime()) / 1000) + 1);
          if (c.state === 'running') expect(c.nextCheckAt!.getTime()).toBeGreaterThan(now.getTime());
          else expect(c.nextCheckAt).toBeNull();
          expect(c.isBreached).toBe(c.state === 'breached' || (c.state === 'met' && c.stoppedAt!.getTime() >= c.dueAt.getTime() + 1000));
        }
      }),
      { numRuns: 150 },
    );
  });
});
