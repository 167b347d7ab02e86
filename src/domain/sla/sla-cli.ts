/**
 * String-in / string-out entry points for the `sla due` and `sla elapsed`
 * CLI commands. Input is validated with zod; bad input throws SlaError with a
 * stable `code`: SLA_CALENDAR_INVALID (calendar JSON) or SLA_INPUT_INVALID
 * (start/from/to/duration/pauses).
 */
import { z } from 'zod';
import { BusinessCalendar, type BusinessDuration, type Pause } from './calendar.types.ts';
import { addBusinessTime, businessTimeBetween } from './business-time.ts';

export type SlaErrorCode = 'SLA_CALENDAR_INVALID' | 'SLA_INPUT_INVALID';

export class SlaError extends Error {
  readonly code: SlaErrorCode;
  constructor(code: SlaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SlaError';
    this.code = code;
  }
}

export type SlaDueInput = {
  /** Calendar file contents (JSON text) or the already-parsed JSON value. */
  calendarJson: string | unknown;
  start: string;
  minutes?: number | string | undefined;
  days?: number | string | undefined;
  /** Each "ISO/ISO", e.g. "2026-03-09T13:00:00Z/2026-03-09T14:30:00Z". */
  pauses?: readonly string[] | undefined;
};

export type SlaElapsedInput = {
  calendarJson: string | unknown;
  from: string;
  to: string;
  pauses?: readonly string[] | undefined;
};

const IsoInstant = z.iso.datetime({ offset: true });
const Minutes = z.union([z.number(), z.string().regex(/^\s*\d+(?:\.\d+)?\s*$/).transform(Number)]).pipe(
  z.number().finite().nonnegative(),
);
const Days = z.union([z.number(), z.string().regex(/^\s*\d+\s*$/).transform(Number)]).pipe(
  z.number().int().nonnegative().max(100_000),
);

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function parseCalendar(calendarJson: unknown): BusinessCalendar {
  let raw: unknown = calendarJson;
  if (typeof calendarJson === 'string') {
    try {
      raw = JSON.parse(calendarJson);
    } catch (cause) {
      throw new SlaError('SLA_CALENDAR_INVALID', `calendar is not valid JSON: ${String(cause)}`, { cause });
    }
  }
  const parsed = BusinessCalendar.safeParse(raw);
  if (!parsed.success) {
    throw new SlaError('SLA_CALENDAR_INVALID', `invalid calendar: ${describe(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function parseInstant(value: unknown, field: string): Date {
  const parsed = IsoInstant.safeParse(value);
  if (!parsed.success) {
    throw new SlaError('SLA_INPUT_INVALID', `${field} must be an ISO-8601 date-time with Z or an offset`);
  }
  return new Date(parsed.data);
}

function parsePauses(pauses: readonly string[] | undefined): Pause[] {
  return (pauses ?? []).map((text, i) => {
    const parts = typeof text === 'string' ? text.split('/') : [];
    if (parts.length !== 2) throw new SlaError('SLA_INPUT_INVALID', `pauses[${i}] must be "ISO/ISO"`);
    const from = parseInstant(parts[0]?.trim(), `pauses[${i}] start`);
    const to = parseInstant(parts[1]?.trim(), `pauses[${i}] end`);
    if (to < from) throw new SlaError('SLA_INPUT_INVALID', `pauses[${i}] ends before it starts`);
    return { from, to };
  });
}

function parseDuration(minutes: unknown, days: unknown): BusinessDuration {
  const hasMinutes = minutes !== undefined;
  const hasDays = days !== undefined;
  if (hasMinutes === hasDays) throw new SlaError('SLA_INPUT_INVALID', 'give exactly one of minutes or days');
  const parsed = hasMinutes ? Minutes.safeParse(minutes) : Days.safeParse(days);
  if (!parsed.success) {
    const what = hasMinutes ? 'minutes must be a number >= 0' : 'days must be an integer >= 0';
    throw new SlaError('SLA_INPUT_INVALID', what);
  }
  return hasMinutes ? { minutes: parsed.data } : { days: parsed.data };
}

/** ISO-8601 UTC on the whole second, e.g. "2006-01-04T16:00:00Z". */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Business minutes as a plain number string; fractions kept to 6 decimals. */
export function formatMinutes(seconds: number): string {
  return String(Number((seconds / 60).toFixed(6)));
}

/** Calls a pure function and reports RangeErrors (e.g. an unreachable due time) as input errors. */
function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof SlaError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SlaError('SLA_INPUT_INVALID', message, { cause: error });
  }
}

export function runSlaDue(input: SlaDueInput): string {
  const calendar = parseCalendar(input.calendarJson);
  const start = parseInstant(input.start, 'start');
  const duration = parseDuration(input.minutes, input.days);
  const pauses = parsePauses(input.pauses);
  return guarded(() => formatUtc(addBusinessTime(calendar, start, duration, pauses)));
}

export function runSlaElapsed(input: SlaElapsedInput): string {
  const calendar = parseCalendar(input.calendarJson);
  const from = parseInstant(input.from, 'from');
  const to = parseInstant(input.to, 'to');
  const pauses = parsePauses(input.pauses);
  return guarded(() => formatMinutes(businessTimeBetween(calendar, from, to, pauses)));
}
