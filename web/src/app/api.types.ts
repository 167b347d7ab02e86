/** The API's shapes the app reads (mirrors the zod schemas of src/domain; the OpenAPI document is the reference). */
export type TicketStatus = 'new' | 'open' | 'pending-customer' | 'pending-vendor' | 'on-hold' | 'solved' | 'closed';
export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];
export const STATUSES: TicketStatus[] = ['new', 'open', 'pending-customer', 'pending-vendor', 'on-hold', 'solved', 'closed'];

export type User = {
  id: string;
  email: string;
  name: string;
  kind: 'agent' | 'contact';
  roles: string[];
  organizationId: string | null;
  senior: boolean;
  supportLine: 'L1' | 'L2' | 'L3' | null;
  timeZone: string;
  locale: string;
  workingHours: Partial<Record<Weekday, Array<[string, string]>>> | null;
  teamIds: string[];
};
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export type Ticket = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  organizationId: string;
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
  supportLine: 'L1' | 'L2' | 'L3' | null;
  product: string | null;
  tags: string[];
  channel: string;
  environmentVersion: number | null;
  planId: string | null;
  isPanic: boolean;
  createdAt: string;
  updatedAt: string;
};
export type Page<T> = { items: T[]; nextCursor: string | null };

export type Attachment = { id: string; filename: string; contentType: string; size: number };
/** quotedBody / bodyHtml arrive with e-mailed messages (optional: older servers do not send them). */
export type Message = { id: string; ticketId: string; authorId: string | null; body: string; internal: boolean; channel: string; attachments: Attachment[]; createdAt: string; quotedBody?: string | null; bodyHtml?: string | null };
export type TimelineEntry = { id: string; action: string; actorId: string | null; changes: Record<string, unknown>; createdAt: string };

export type Organization = {
  id: string;
  name: string;
  planCode: string | null;
  tamId: string | null;
  domains: string[];
  sharesCases: boolean;
  accountTeam: Array<{ userId: string; role: string }>;
  environmentVersion: number | null;
};
export type EnvironmentComponent = {
  product: string;
  version?: string;
  database?: string;
  databaseVersion?: string;
  os?: string;
  osVersion?: string;
  specialConfiguration?: string;
  notes?: string;
};
export type EnvironmentProfile = { organizationId: string; version: number; components: EnvironmentComponent[]; notes: string; createdBy: string | null; createdAt: string };

export type SlaClock = {
  kind: 'first-response' | 'next-response' | 'resolution';
  cycle: number;
  state: 'running' | 'paused' | 'met' | 'breached';
  dueAt: string;
  isBreached: boolean;
  businessSeconds: number;
  targetSeconds: number;
  explanation: { lines: string[]; calendar: { name: string; timeZone: string } };
};
export type TicketSla = { planCode: string | null; clocks: SlaClock[] };

export type PanicQuota = { entitled: boolean; quota: number | null; used: number; remaining: number | null; renewsOn: string | null; planCode: string | null };
export type PanicPress = { ticket: Ticket; quota: PanicQuota; panicEvent: { id: string; ticketNumber: number } };

export type Rating = { messageId: string; ticketId: string; rating: 'good' | 'bad'; comment: string | null; ratedBy: string; updatedAt: string };

export type Team = { id: string; name: string; leadId: string | null; memberIds: string[] };
export type LinkKind = 'related' | 'duplicate' | 'upstream-vendor';
export const LINK_KINDS: LinkKind[] = ['related', 'duplicate', 'upstream-vendor'];
export type TicketLink = { id: string; ticketId: string; kind: LinkKind; targetTicketId: string | null; externalRef: string | null; externalUrl: string | null; createdAt: string };
/** The queue filters a view or the URL carries (the same names as GET /tickets). */
export type QueueFilters = Partial<{ view: string; status: string[] | string; priority: string[] | string; organizationId: string; assigneeId: string; tag: string; product: string; plan: string }>;
export type SavedView = { id: string | null; slug: string; name: string; builtIn: boolean; ownerId: string | null; filters: QueueFilters; sort: 'priority' | 'age' | 'updated' | 'sla-due'; createdAt: string | null };
export type Plan = { id: string; code: string; name: string };
