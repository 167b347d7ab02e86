import { describe, expect, it } from 'vitest';
import { formatMinutes, formatUtc, runSlaDue, runSlaElapsed, SlaError, type SlaErrorCode } from './sla-cli.ts';

const STANDARD_JSON = JSON.stringify({
  timeZone: 'America/Toronto',
  week: {
    mon: [['08:00', '20:00']],
    tue: [['08:00', '20:00']],
    wed: [['08:00', '20:00']],
    thu: [['08:00', '20:00']],
    fri: [['08:00', '20:00']],
    sat: [],
    sun: [],
  },
  holidays: [{ date: '07-01', yearly: true, name: 'Canada Day' }, '2026-04-03'],
});

function codeOf(run: () => unknown): SlaErrorCode | 'no error' | 'not an SlaError' {
  try {
    run();
    return 'no error';
  } catch (error) {
    return error instanceof SlaError ? error.code : 'not an SlaError';
  }
}

describe('runSlaDue', () => {
  it('returns ISO-8601 UTC without milliseconds', () => {
    expect(runSlaDue({ calendarJson: STANDARD_JSON, start: '2026-03-07T00:00:00Z', minutes: 120, pauses: [] })).toBe(
      '2026-03-09T13:00:00Z',
    );
  });

  it('accepts offsets, days, numeric strings and pauses', () => {
    expect(runSlaDue({ calendarJson: STANDARD_JSON, start: '2026-03-06T10:00:00-05:00', days: 1, pauses: [] })).toBe(
      '2026-03-09T14:00:00Z',
    );
    expect(runSlaDue({ calendarJson: STANDARD_JSON, start: '2026-03-06T10:00:00-05:00', days: '1' })).toBe(
      '2026-03-09T14:00:00Z',
    );
    expect(
      runSlaDue({
        calendarJson: STANDARD_JSON,
        start: '2026-03-09T12:00:00Z',
        minutes: '240',
        pauses: ['2026-03-09T13:00:00Z/2026-03-09T14:30:00Z'],
      }),
    ).toBe('2026-03-09T17:30:00Z');
  });

  it('accepts an already-parsed calendar object and the corpus calendar shape', () => {
    const biz = {
      timeZone: 'Etc/UTC',
      week: { mon: [['09:00', '17:00']], tue: [['10:00', '16:00']], wed: [['09:00', '17:00']], thu: [['10:00', '16:00']], fri: [['09:00', '17:00']], sat: [['11:00', '14:30']], sun: [] },
      holidays: ['2006-01-01', '2006-12-25'],
    };
    expect(runSlaDue({ calendarJson: biz, start: '2006-01-04T14:30:00Z', minutes: 90, pauses: [] })).toBe(
      '2006-01-04T16:00:00Z',
    );
  });

  it.each<[string, unknown]>([
    ['not JSON', '{'],
    ['no week', JSON.stringify({ timeZone: 'Etc/UTC', holidays: [] })],
    ['unknown zone', STANDARD_JSON.replace('America/Toronto', 'Mars/Olympus')],
    ['bad time', STANDARD_JSON.replace('"20:00"', '"25:00"')],
    ['block ends before it starts', STANDARD_JSON.replace('["08:00","20:00"]', '["20:00","08:00"]')],
    ['overlapping blocks', STANDARD_JSON.replace('"mon":[["08:00","20:00"]]', '"mon":[["08:00","12:00"],["11:00","20:00"]]')],
    ['typo in weekday', STANDARD_JSON.replace('"mon"', '"monday"')],
    ['bad holiday', STANDARD_JSON.replace('2026-04-03', '2026-02-30')],
    ['never open', JSON.stringify({ timeZone: 'Etc/UTC', week: {}, holidays: [] })],
  ])('SLA_CALENDAR_INVALID: %s', (_label, calendarJson) => {
    expect(codeOf(() => runSlaDue({ calendarJson, start: '2026-03-09T12:00:00Z', minutes: 1, pauses: [] }))).toBe(
      'SLA_CALENDAR_INVALID',
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['start without offset', { start: '2026-03-09T12:00:00', minutes: 1 }],
    ['start garbage', { start: 'tomorrow', minutes: 1 }],
    ['neither minutes nor days', { start: '2026-03-09T12:00:00Z' }],
    ['both minutes and days', { start: '2026-03-09T12:00:00Z', minutes: 1, days: 1 }],
    ['negative minutes', { start: '2026-03-09T12:00:00Z', minutes: -5 }],
    ['fractional days', { start: '2026-03-09T12:00:00Z', days: 1.5 }],
    ['minutes not a number', { start: '2026-03-09T12:00:00Z', minutes: 'ten' }],
    ['pause without slash', { start: '2026-03-09T12:00:00Z', minutes: 1, pauses: ['2026-03-09T12:00:00Z'] }],
    ['pause reversed', { start: '2026-03-09T12:00:00Z', minutes: 1, pauses: ['2026-03-09T13:00:00Z/2026-03-09T12:00:00Z'] }],
  ])('SLA_INPUT_INVALID: %s', (_label, input) => {
    const run = () => runSlaDue({ calendarJson: STANDARD_JSON, pauses: [], ...input } as unknown as Parameters<typeof runSlaDue>[0]);
    expect(codeOf(run)).toBe('SLA_INPUT_INVALID');
  });

  it('SlaError is an Error with a stable code and a readable message', () => {
    try {
      runSlaDue({ calendarJson: '{', start: '2026-03-09T12:00:00Z', minutes: 1, pauses: [] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name: 'SlaError', code: 'SLA_CALENDAR_INVALID' });
      expect((error as Error).message).toMatch(/JSON/);
    }
  });
});

describe('runSlaElapsed', () => {
  it('returns business minutes as a number string', () => {
    expect(
      runSlaElapsed({ calendarJson: STANDARD_JSON, from: '2026-03-06T17:00:00Z', to: '2026-03-09T16:00:00Z', pauses: [] }),
    ).toBe('720');
  });

  it('prints fractions when not whole, and subtracts pauses', () => {
    expect(
      runSlaElapsed({ calendarJson: STANDARD_JSON, from: '2026-03-09T12:00:00Z', to: '2026-03-09T12:00:30Z', pauses: [] }),
    ).toBe('0.5');
    expect(
      runSlaElapsed({
        calendarJson: STANDARD_JSON,
        from: '2026-03-09T12:00:00Z',
        to: '2026-03-09T14:00:00Z',
        pauses: ['2026-03-09T12:30:00Z/2026-03-09T12:30:20Z'],
      }),
    ).toBe('119.666667');
  });

  it('validates its input', () => {
    expect(codeOf(() => runSlaElapsed({ calendarJson: STANDARD_JSON, from: 'x', to: '2026-03-09T12:00:00Z', pauses: [] }))).toBe(
      'SLA_INPUT_INVALID',
    );
    expect(codeOf(() => runSlaElapsed({ calendarJson: '[]', from: '2026-03-09T12:00:00Z', to: '2026-03-09T12:00:00Z', pauses: [] }))).toBe(
      'SLA_CALENDAR_INVALID',
    );
  });
});

describe('formatting', () => {
  it('formatUtc drops milliseconds', () => {
    expect(formatUtc(new Date('2006-01-04T16:00:00.000Z'))).toBe('2006-01-04T16:00:00Z');
  });
  it('formatMinutes', () => {
    expect(formatMinutes(420 * 60)).toBe('420');
    expect(formatMinutes(-90)).toBe('-1.5');
    expect(formatMinutes(1)).toBe('0.016667');
  });
});
