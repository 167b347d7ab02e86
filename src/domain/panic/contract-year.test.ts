import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anniversaryIn, calendarYear, contractYear } from './contract-year.ts';

const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));

describe('contract year of a panic quota', () => {
  it('runs from the start date to its anniversary', () => {
    expect(contractYear('2025-03-15', '2025-03-15')).toEqual({ startsOn: '2025-03-15', renewsOn: '2026-03-15' });
    expect(contractYear('2025-03-15', '2026-03-14')).toEqual({ startsOn: '2025-03-15', renewsOn: '2026-03-15' });
    expect(contractYear('2025-03-15', '2026-03-15')).toEqual({ startsOn: '2026-03-15', renewsOn: '2027-03-15' });
    expect(contractYear('2025-03-15', '2027-01-01')).toEqual({ startsOn: '2026-03-15', renewsOn: '2027-03-15' });
  });

  it('puts the anniversary of a 29 February start on 28 February in common years', () => {
    expect(anniversaryIn('2024-02-29', 2025)).toBe('2025-02-28');
    expect(anniversaryIn('2024-02-29', 2028)).toBe('2028-02-29');
    expect(contractYear('2024-02-29', '2025-02-27')).toEqual({ startsOn: '2024-02-29', renewsOn: '2025-02-28' });
    expect(contractYear('2024-02-29', '2025-02-28')).toEqual({ startsOn: '2025-02-28', renewsOn: '2026-02-28' });
    expect(contractYear('2024-02-29', '2028-03-01')).toEqual({ startsOn: '2028-02-29', renewsOn: '2029-02-28' });
  });

  it('uses the first year for a contract that has not started yet', () => {
    expect(contractYear('2026-06-01', '2026-01-01')).toEqual({ startsOn: '2026-06-01', renewsOn: '2027-06-01' });
  });

  it('falls back to calendar years without a contract', () => {
    expect(calendarYear('2026-07-04')).toEqual({ startsOn: '2026-01-01', renewsOn: '2027-01-01' });
    expect(calendarYear('2026-12-31')).toEqual({ startsOn: '2026-01-01', renewsOn: '2027-01-01' });
  });

  it('always contains the day, lasts one year and starts on an anniversary (property)', () => {
    fc.assert(
      fc.property(isoDate, isoDate, (first, second) => {
        const [anchor, today] = first <= second ? [first, second] : [second, first];
        const year = contractYear(anchor, today);
        expect(year.startsOn <= today && today < year.renewsOn).toBe(true);
        expect(year.startsOn >= anchor).toBe(true);
        const startYear = Number(year.startsOn.slice(0, 4));
        expect(year.startsOn).toBe(anniversaryIn(anchor, startYear));
        expect(year.renewsOn).toBe(anniversaryIn(anchor, startYear + 1));
      }),
      { numRuns: 500 },
    );
  });
});
