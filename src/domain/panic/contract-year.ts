/**
 * The contract year a panic press counts against. Pure date arithmetic on ISO dates (YYYY-MM-DD,
 * evaluated in UTC like the rest of the contract rules).
 *
 * - With a contract: years run from the contract's start date to its anniversary, then from that
 *   anniversary to the next one. A 29 February start has its anniversary on 28 February in
 *   common years.
 * - Without a contract (an organisation that only carries a plan code): years are calendar years,
 *   anchored on 1 January.
 */
export type ContractYear = { startsOn: string; renewsOn: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The anniversary of `anchor` in `year` (day clamped to the end of a shorter month). */
export function anniversaryIn(anchor: string, year: number): string {
  const [, month, day] = parts(anchor);
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(day, daysInMonth(year, month)))}`;
}

/** The contract year containing `today`, for a contract that started on `anchor`. */
export function contractYear(anchor: string, today: string): ContractYear {
  const [anchorYear] = parts(anchor);
  const [todayYear] = parts(today);
  if (today < anchor) return { startsOn: anchor, renewsOn: anniversaryIn(anchor, anchorYear + 1) };
  const year = anniversaryIn(anchor, todayYear) <= today ? todayYear : todayYear - 1;
  return { startsOn: anniversaryIn(anchor, year), renewsOn: anniversaryIn(anchor, year + 1) };
}

/** The calendar year containing `today` (organisations without a contract). */
export function calendarYear(today: string): ContractYear {
  const [year] = parts(today);
  return { startsOn: `${pad(year, 4)}-01-01`, renewsOn: `${pad(year + 1, 4)}-01-01` };
}

/** UTC midnight at the start of an ISO date. */
export function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}
