/**
 * Corpus vectors (shared/corpora/sla/biz-vectors.json), read in place.
 * The path is relative to this file: src/domain/sla -> ../../../../shared.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from './calendar.types.ts';
import { addBusinessTime, businessTimeBetween } from './business-time.ts';
import { formatUtc } from './sla-cli.ts';

const corpusFile = fileURLToPath(new URL('../../../../shared/corpora/sla/biz-vectors.json', import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../../shared/corpora/sla/', import.meta.url));

type DueVector = {
  id: string;
  calendar: string;
  start: string;
  businessMinutes?: number;
  businessDays?: number;
  expectedDue: string;
  note?: string;
};
type ElapsedVector = { id: string; calendar: string; from: string; to: string; expectedBusinessMinutes: number };
type Corpus = { calendars: Record<string, unknown>; due: DueVector[]; elapsed: ElapsedVector[] };

const present = existsSync(corpusDir) && existsSync(corpusFile);
const corpus: Corpus = present
  ? (JSON.parse(readFileSync(corpusFile, 'utf8')) as Corpus)
  : { calendars: {}, due: [], elapsed: [] };

function calendarOf(name: string): BusinessCalendar {
  return BusinessCalendar.parse(corpus.calendars[name]);
}

describe.skipIf(!present)('biz-vectors.json (corpus read in place)', () => {
  it('has due and elapsed vectors', () => {
    expect(corpus.due.length).toBeGreaterThan(0);
    expect(corpus.elapsed.length).toBeGreaterThan(0);
  });

  describe('due', () => {
    for (const v of corpus.due) {
      it(v.id, () => {
        const duration =
          v.businessDays !== undefined ? { days: v.businessDays } : { minutes: v.businessMinutes ?? Number.NaN };
        const due = addBusinessTime(calendarOf(v.calendar), new Date(v.start), duration);
        expect(formatUtc(due)).toBe(v.expectedDue);
      });
    }
  });

  describe('elapsed', () => {
    for (const v of corpus.elapsed) {
      it(v.id, () => {
        const seconds = businessTimeBetween(calendarOf(v.calendar), new Date(v.from), new Date(v.to));
        expect(seconds / 60).toBe(v.expectedBusinessMinutes);
      });
    }
  });
});

if (!present) {
  console.warn(`\n!!! SKIPPED: corpus folder ${corpusDir} is absent, so the business-time corpus vectors were not run !!!\n`);
}
