import { errorFactory } from '../../platform/errors.ts';

export const PLANS_ERRORS = {
  PLAN_NOT_FOUND: 'No such support plan.',
  PLAN_CODE_TAKEN: 'A plan with this code already exists.',
  CALENDAR_NOT_FOUND: 'No such calendar.',
  CALENDAR_NAME_TAKEN: 'A calendar with this name already exists.',
  CALENDAR_ICS_INVALID: 'The iCalendar file could not be read.',
  CALENDAR_INVALID: 'This change would leave the calendar without opening hours or otherwise invalid.',
  CONTRACT_INVALID: 'A contract ends on or after the day it starts.',
} as const;

export type PlansErrorCode = keyof typeof PLANS_ERRORS;

export const plansError = errorFactory(PLANS_ERRORS);
