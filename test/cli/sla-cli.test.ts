import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, cliEnv, makeTempDir, runCli, type CliResult } from './cli-harness.ts';

/**
 * `casebook sla due|elapsed` on a calendar file, checked against the shared business-time vectors
 * (/work/shared/corpora/sla/biz-vectors.json, read in place). Pure commands: no server, no database.
 */

type DueVector = { id: string; calendar: string; start: string; businessMinutes?: number; businessDays?: number; expectedDue: string };
type ElapsedVector = { id: string; calendar: string; from: string; to: string; expectedBusinessMinutes: number };
type Corpus = { calendars: Record<string, unknown>; due: DueVector[]; elapsed: ElapsedVector[] };

const corpus = JSON.parse(readFileSync('/work/shared/corpora/sla/biz-vectors.json', 'utf8')) as Corpus;
const vector = <T extends { id: string }>(list: T[], id: string): T => {
  const found = list.find((entry) => entry.id === id);
  if (!found) throw new Error(`vector ${id} not in the corpus`);
  return found;
};

let workDir: string;
const env = () => cliEnv({ CASEBOOK_DATA_DIR: join(workDir, 'unused-data') });
/** Runs with the calendar given relative to the CLI's cwd. */
const sla = (args: string[]) => runCli(['sla', ...args], { env: env(), cwd: workDir });
const printed = (result: CliResult) => result.stdout.trim();

beforeAll(() => {
  workDir = makeTempDir('casebook-cli-sla-');
  writeFileSync(join(workDir, 'biz.json'), JSON.stringify(corpus.calendars.BIZ));
});

afterAll(async () => {
  await cleanupAll();
});

describe('casebook sla', () => {
  it('due: business minutes, business days, and a pause (BIZ calendar)', async () => {
    const b1 = vector(corpus.due, 'B1'); // 90 minutes
    const b6 = vector(corpus.due, 'B6'); // 2 days from outside hours
    const b7 = vector(corpus.due, 'B7'); // 2 days, second precision, Saturday counts
    const [minutes, daysFromOutside, daysWithSeconds, paused] = await Promise.all([
      sla(['due', '--calendar', 'biz.json', '--start', b1.start, '--minutes', String(b1.businessMinutes)]),
      sla(['due', '--calendar', 'biz.json', '--start', b6.start, '--days', String(b6.businessDays)]),
      sla(['due', '--calendar', join(workDir, 'biz.json'), '--start', b7.start, '--days', String(b7.businessDays)]),
      // B1 with a 30-minute pause inside business hours: the due time moves 30 minutes later.
      sla(['due', '--calendar', 'biz.json', '--start', b1.start, '--minutes', '90', '--pause', '2006-01-04T15:00:00Z/2006-01-04T15:30:00Z']),
    ]);
    for (const result of [minutes, daysFromOutside, daysWithSeconds, paused]) expect(result.code, result.output).toBe(0);
    expect(printed(minutes)).toBe(b1.expectedDue);
    expect(printed(daysFromOutside)).toBe(b6.expectedDue);
    expect(printed(daysWithSeconds)).toBe(b7.expectedDue);
    expect(printed(paused)).toBe('2006-01-04T16:30:00Z');
  });

  it('elapsed: business minutes between two instants, with and without a pause', async () => {
    const b5 = vector(corpus.elapsed, 'B5');
    const [plain, paused] = await Promise.all([
      sla(['elapsed', '--calendar', 'biz.json', '--from', b5.from, '--to', b5.to]),
      // Friday 09:00–10:00 paused: one business hour less.
      sla(['elapsed', '--calendar', 'biz.json', '--from', b5.from, '--to', b5.to, '--pause', '2006-01-06T09:00:00Z/2006-01-06T10:00:00Z']),
    ]);
    expect(plain.code, plain.output).toBe(0);
    expect(printed(plain)).toBe(String(b5.expectedBusinessMinutes));
    expect(paused.code, paused.output).toBe(0);
    expect(printed(paused)).toBe(String(b5.expectedBusinessMinutes - 60));
  });

  it('bad input exits non-zero with SLA_INPUT_INVALID', async () => {
    const b1 = vector(corpus.due, 'B1');
    const results = await Promise.all([
      sla(['due', '--calendar', 'biz.json', '--start', 'yesterday', '--minutes', '90']),
      sla(['due', '--calendar', 'biz.json', '--start', b1.start, '--minutes', 'ninety']),
      sla(['due', '--calendar', 'biz.json', '--start', b1.start, '--minutes', '90', '--days', '2']),
      sla(['elapsed', '--calendar', 'biz.json', '--from', '2006-01-05T12:00:00Z', '--to', '2006-01-06T12:00:00Z', '--pause', '2006-01-06T10:00:00Z']),
    ]);
    for (const result of results) {
      expect(result.code, result.output).not.toBe(0);
      expect(result.code, result.output).not.toBeNull();
      expect(result.output).toContain('SLA_INPUT_INVALID');
    }
  });
});
