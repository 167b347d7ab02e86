import { z } from 'zod';
import { Ticket } from '../tickets/index.ts';

export const PressPanicInput = z
  .object({
    ticketId: z.uuid().optional().describe('Escalate this case instead of opening a new one'),
    description: z.string().trim().min(1).max(2000).describe('What is down; its first line becomes the case subject'),
  })
  .strict();
export type PressPanicInput = z.infer<typeof PressPanicInput>;

/** What an organisation may still press this contract year (shown before the confirmation). */
export const PanicQuota = z.object({
  entitled: z.boolean().describe('The plan in force has a panic button (quota unlimited or above zero)'),
  quota: z.number().int().nullable().describe('Presses per contract year; null = unlimited'),
  used: z.number().int(),
  remaining: z.number().int().nullable().describe('null = unlimited'),
  yearStartsOn: z.iso.date().nullable().describe('First day of the current contract year'),
  renewsOn: z.iso.date().nullable().describe('The quota renews on this day (next contract anniversary; 1 January without a contract)'),
  planCode: z.string().nullable(),
  contractId: z.uuid().nullable(),
});
export type PanicQuota = z.infer<typeof PanicQuota>;

export const PanicPresser = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

export const PanicEvent = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  organizationName: z.string(),
  contractId: z.uuid().nullable(),
  ticketId: z.uuid(),
  ticketNumber: z.number().int(),
  pressedBy: PanicPresser,
  description: z.string(),
  createdAt: z.string(),
});
export type PanicEvent = z.infer<typeof PanicEvent>;

export const PanicPress = z.object({ panicEvent: PanicEvent, ticket: Ticket, quota: PanicQuota });
export type PanicPress = z.infer<typeof PanicPress>;

export const PanicHistoryQuery = z
  .object({
    organizationId: z.uuid().optional(),
    cursor: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z_[0-9a-f-]{36}$/i, 'a nextCursor from a previous page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();
export type PanicHistoryQuery = z.infer<typeof PanicHistoryQuery>;
