import { deliveryTime } from '../notifications/index.ts';
import type { WorkingHours } from '../identity/index.ts';

type Shift = { timeZone: string; workingHours: WorkingHours | null };

/**
 * When the agent is (next) at work, by the one rule Casebook uses for working hours: their weekly
 * blocks in their own time zone, the same rule that holds their non-urgent e-mail until they start.
 * No working hours recorded means available at any time. Returns `now` (to the second) while on shift.
 */
export function nextShiftMoment(agent: Shift, now: Date): Date {
  return deliveryTime(agent, now);
}

/** True while `now` falls inside one of the agent's working blocks, in their own time zone. */
export function isOnShift(agent: Shift, now: Date): boolean {
  return nextShiftMoment(agent, now).getTime() <= now.getTime();
}
