import { z } from 'zod';

export const AGENT_ROLES = ['admin', 'agent', 'tam', 'csm', 'am', 'renewal', 'sales', 'implementation'] as const;
export const CONTACT_ROLES = ['customer', 'customer-admin'] as const;
export const ROLES = [...AGENT_ROLES, ...CONTACT_ROLES] as const;
export const SUPPORT_LINES = ['L1', 'L2', 'L3'] as const;

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const SupportLine = z.enum(SUPPORT_LINES);
export type SupportLine = z.infer<typeof SupportLine>;
export type UserKind = 'agent' | 'contact';

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
const DayBlocks = z.array(z.tuple([TimeOfDay, TimeOfDay])).max(6);
export const WorkingHours = z
  .object({
    mon: DayBlocks, tue: DayBlocks, wed: DayBlocks, thu: DayBlocks, fri: DayBlocks, sat: DayBlocks, sun: DayBlocks,
  })
  .partial()
  .strict()
  .describe('Weekly working hours in the user time zone: day → [["09:00","17:00"], …]');
export type WorkingHours = z.infer<typeof WorkingHours>;

export const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Paris');

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  kind: z.enum(['agent', 'contact']),
  roles: z.array(Role),
  organizationId: z.uuid().nullable(),
  senior: z.boolean(),
  supportLine: SupportLine.nullable(),
  timeZone: z.string(),
  locale: z.string(),
  workingHours: WorkingHours.nullable(),
  maxOpenCases: z.number().int().nullable(),
  isActive: z.boolean(),
  teamIds: z.array(z.uuid()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof User>;

export const Team = z.object({
  id: z.uuid(),
  name: z.string(),
  leadId: z.uuid().nullable(),
  memberIds: z.array(z.uuid()),
  createdAt: z.string(),
});
export type Team = z.infer<typeof Team>;

/** Who is acting: the authenticated user, as every use case and policy sees them. */
export type Actor = {
  userId: string;
  kind: UserKind;
  roles: Role[];
  organizationId: string | null;
  senior: boolean;
  name: string;
  email: string;
  locale: string;
};

export const SYSTEM_ACTOR: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  kind: 'agent',
  roles: ['admin', 'agent'],
  organizationId: null,
  senior: true,
  name: 'Casebook',
  email: 'system@casebook.invalid',
  locale: 'en',
};

export function isAgent(actor: Actor): boolean {
  return actor.kind === 'agent';
}

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'agent' && actor.roles.includes('admin');
}
