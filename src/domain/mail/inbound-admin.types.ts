import { z } from 'zod';

export const InboundMailState = z.enum(['received', 'processed', 'ignored', 'duplicate', 'rate-limited', 'failed']);
export type InboundMailState = z.infer<typeof InboundMailState>;

/** A stored inbound mail as admins see it: what happened to it, never its raw bytes. */
export const InboundMailSummary = z.object({
  id: z.uuid(),
  state: InboundMailState,
  classification: z.enum(['normal', 'auto-reply', 'bounce', 'feedback']).nullable(),
  fromAddress: z.string().nullable(),
  subject: z.string().nullable(),
  messageId: z.string().nullable(),
  receivedAt: z.string(),
  lastError: z.string().nullable(),
  outcome: z.record(z.string(), z.unknown()),
  ticketId: z.uuid().nullable(),
});
export type InboundMailSummary = z.infer<typeof InboundMailSummary>;

/** `state` is one state or a comma-separated list; without it: the mail that needs a look (failed, rate-limited). */
export const ListInboundMailQuery = z
  .object({
    state: z
      .string()
      .trim()
      .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
      .pipe(z.array(InboundMailState).min(1).max(6))
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();
export type ListInboundMailQuery = z.infer<typeof ListInboundMailQuery>;

/** An address whose mail bounced: outbound mail to it is held until an admin unflags it. */
export const MailAddressFlag = z.object({
  address: z.string(),
  reason: z.string(),
  detail: z.record(z.string(), z.unknown()),
  inboundMailId: z.uuid().nullable(),
  flaggedAt: z.string(),
});
export type MailAddressFlag = z.infer<typeof MailAddressFlag>;

export const UnflaggedAddress = z.object({ address: z.string(), requeuedMailIds: z.array(z.uuid()) });
export type UnflaggedAddress = z.infer<typeof UnflaggedAddress>;
