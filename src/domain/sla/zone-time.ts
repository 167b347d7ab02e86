/**
 * Wall-clock <-> instant conversion for one IANA zone.
 *
 * Offsets come from Luxon's IANAZone (which reads the tz database through
 * Intl); this file only decides how a local wall time maps to an instant:
 *  - a wall time skipped by a DST gap is read with the offset in force before
 *    the gap, so it lands after the gap (02:30 on a spring-forward night -> 03:30);
 *  - a wall time that happens twice (fall back) resolves to the EARLIER instant.
 * This is the "compatible" rule of RFC 5545 and of Temporal's default.
 *
 * A "civil day" is a local calendar date counted as days since 1970-01-01.
 */
import { IANAZone } from 'luxon';

export const MS_PER_SECOND = 1_000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export type Zone = IANAZone;

export function zoneFor(timeZone: string): Zone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`unknown IANA time zone: ${timeZone}`);
  return zone;
}

// Offset transitions fall on whole quarter hours of UTC (every offset in use is a multiple of
// 15 minutes), so the offset is constant within a quarter-hour bucket: cache it per zone.
const QUARTER_HOUR_MS = 15 * MS_PER_MINUTE;
const offsetCache = new WeakMap<Zone, Map<number, number>>();

function offsetMs(zone: Zone, instant: number): number {
  let cache = offsetCache.get(zone);
  if (!cache) offsetCache.set(zone, (cache = new Map()));
  const bucket = Math.floor(instant / QUARTER_HOUR_MS);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    if (cache.size > 200_000) cache.clear();
    offset = zone.offset(bucket * QUARTER_HOUR_MS) * MS_PER_MINUTE;
    cache.set(bucket, offset);
  }
  return offset;
}

/** Local date (civil day) and local time of day (ms since local midnight) of an instant. */
export function toLocal(zone: Zone, instant: number): { day: number; msOfDay: number } {
  const local = instant + offsetMs(zone, instant);
  const day = Math.floor(local / MS_PER_DAY);
  return { day, msOfDay: local - day * MS_PER_DAY };
}

/** The instant of a local wall time (msOfDay may be 86_400_000 for "24:00"). */
export function toInstant(zone: Zone, day: number, msOfDay: number): number {
  const local = day * MS_PER_DAY + msOfDay;
  const before = offsetMs(zone, local - MS_PER_DAY);
  const after = offsetMs(zone, local + MS_PER_DAY);
  const candidates = before === after ? [local - before] : [local - before, local - after];
  const valid = candidates.filter((t) => offsetMs(zone, t) === local - t);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: read with the offset before the transition, which lands after it.
  return local - before;
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayIndex(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** "YYYY-MM-DD" of a civil day. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Round an instant down to the whole second. */
export function floorToSecond(instant: number): number {
  return Math.floor(instant / MS_PER_SECOND) * MS_PER_SECOND;
}
