import { describe, expect, it } from 'vitest';
import { mergeHolidays } from './import-holidays.ts';

describe('mergeHolidays', () => {
  it('keeps the existing holidays first and appends the new dates, sorted and without duplicates', () => {
    expect(mergeHolidays(['2026-05-01', { date: '2026-07-14', name: 'Fête nationale' }], ['2027-01-01', '2026-07-14', '2026-05-01', '2026-11-11', '2027-01-01'])).toEqual([
      '2026-05-01',
      { date: '2026-07-14', name: 'Fête nationale' },
      '2026-11-11',
      '2027-01-01',
    ]);
  });

  it('skips a date a yearly holiday already closes', () => {
    const christmas = { date: '12-25', yearly: true as const, name: 'Christmas' };
    expect(mergeHolidays([christmas], ['2026-12-25', '2027-12-25', '2026-12-26'])).toEqual([christmas, '2026-12-26']);
  });

  it('changes nothing when there is nothing new', () => {
    expect(mergeHolidays(['2026-01-01'], [])).toEqual(['2026-01-01']);
  });
});
