import { z } from 'zod';

export const OutboundMailState = z.enum(['queued', 'sending', 'sent', 'dead', 'held']);

/** An outbound mail as admins see it (bodies left out: the list is about delivery). */
export const OutboundMail = z.object({
  id: z.uuid(),
  kind: z.string(),
  state: OutboundMailState,
  ticketId: z.uuid().nullable(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  messageId: z.string(),
  locale: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string(),
  sentAt: z.string().nullable(),
  deadAt: z.string().nullable(),
  createdAt: z.string(),
});
export type OutboundMail = z.infer<typeof OutboundMail>;

export const ListOutboundMailQuery = z.object({ state: OutboundMailState.optional(), limit: z.coerce.number().int().min(1).max(500).optional() }).strict();
export type ListOutboundMailQuery = z.infer<typeof ListOutboundMailQuery>;
