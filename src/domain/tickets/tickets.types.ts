import { z } from 'zod';

export const STATUSES = ['new', 'open', 'pending-customer', 'pending-vendor', 'on-hold', 'solved', 'closed'] as const;
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const SEVERITIES = ['S1', 'S2', 'S3', 'S4'] as const;
export const CHANNELS = ['email', 'portal', 'api', 'phone', 'chat'] as const;
export const LINK_KINDS = ['related', 'duplicate', 'upstream-vendor'] as const;

export const TicketStatus = z.enum(STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;
export const LinkKind = z.enum(LINK_KINDS);
export type LinkKind = z.infer<typeof LinkKind>;

export const Tag = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_.:-]{0,49}$/, 'lowercase letters, digits, _ . : -');

export const Ticket = z.object({
  id: z.uuid(),
  number: z.number().int().describe('Human case number, shown as #1042'),
  subject: z.string(),
  status: TicketStatus,
  priority: Priority,
  severity: Severity.nullable(),
  organizationId: z.uuid(),
  requesterId: z.uuid(),
  assigneeId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  supportLine: z.enum(['L1', 'L2', 'L3']).nullable(),
  product: z.string().nullable(),
  tags: z.array(z.string()),
  channel: Channel,
  environmentVersion: z.number().int().nullable().describe('Environment profile version the case was opened against'),
  mergedIntoId: z.uuid().nullable(),
  planId: z.uuid().nullable().describe('Support plan whose SLA policy applies'),
  isPanic: z.boolean().describe('Raised with the panic button'),
  createdAt: z.string(),
  updatedAt: z.string(),
  solvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type Ticket = z.infer<typeof Ticket>;

export const Attachment = z.object({
  id: z.uuid(),
  ticketId: z.uuid().nullable(),
  messageId: z.uuid().nullable(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
export type Attachment = z.infer<typeof Attachment>;

export const Message = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  authorId: z.uuid().nullable(),
  body: z.string(),
  quotedBody: z.string().nullable().describe('An emailed message: the quoted history and signature folded away from body (null otherwise)'),
  bodyHtml: z.string().nullable().describe('An emailed message: its sanitised HTML, inline images pointing at served attachments (null otherwise)'),
  internal: z.boolean(),
  channel: Channel,
  attachments: z.array(Attachment),
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

export const TicketLink = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  kind: LinkKind,
  targetTicketId: z.uuid().nullable(),
  externalRef: z.string().nullable(),
  externalUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type TicketLink = z.infer<typeof TicketLink>;

export const TimelineEntry = z.object({
  id: z.string(),
  action: z.string(),
  actorId: z.uuid().nullable(),
  changes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const QUEUE_VIEWS = ['mine', 'team', 'unassigned', 'premium', 'pending-customer', 'all-open', 'all'] as const;
export const QueueView = z.enum(QUEUE_VIEWS);
export type QueueView = z.infer<typeof QueueView>;
export const QueueSort = z.enum(['priority', 'age', 'updated', 'sla-due']);
export type QueueSort = z.infer<typeof QueueSort>;
