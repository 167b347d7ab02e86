import type { ColumnType, Generated } from 'kysely';

/** Row types of every table, as Kysely sees them. Only repositories and platform/ use them. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export type OrganizationsTable = {
  id: Generated<string>;
  name: string;
  plan_code: string | null;
  tam_id: string | null;
  domains: ColumnType<string[], string[] | undefined, string[]>;
  shares_cases: ColumnType<boolean, boolean | undefined, boolean>;
  is_unassigned: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type UsersTable = {
  id: Generated<string>;
  email: string;
  name: string;
  kind: 'agent' | 'contact';
  roles: ColumnType<string[], string[] | undefined, string[]>;
  organization_id: string | null;
  is_senior: ColumnType<boolean, boolean | undefined, boolean>;
  support_line: string | null;
  time_zone: ColumnType<string, string | undefined, string>;
  locale: ColumnType<string, string | undefined, string>;
  working_hours: Json<unknown> | null;
  max_open_cases: number | null;
  password_hash: string | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type OrganizationMembersTable = { organization_id: string; user_id: string; role: string };

export type EnvironmentProfilesTable = {
  id: Generated<string>;
  organization_id: string;
  version: number;
  components: Json<unknown>;
  notes: ColumnType<string, string | undefined, string>;
  diagram_attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_by: string | null;
  created_at: CreatedAt;
};

export type TeamsTable = { id: Generated<string>; name: string; lead_id: string | null; created_at: CreatedAt };
export type TeamMembersTable = { team_id: string; user_id: string };

export type SessionsTable = { id: string; user_id: string; csrf_token: string; expires_at: Date; created_at: CreatedAt };

export type ApiTokensTable = {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

export type LoginFailuresTable = { id: Generated<string>; email: string; ip: string; created_at: CreatedAt };

export type TicketsTable = {
  id: Generated<string>;
  number: Generated<number>;
  subject: string;
  requester_id: string;
  organization_id: string;
  product: string | null;
  priority: string;
  severity: string | null;
  status: string;
  is_open: ColumnType<boolean, never, never>;
  assignee_id: string | null;
  team_id: string | null;
  support_line: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  channel: string;
  environment_version: number | null;
  merged_into_id: string | null;
  plan_id: string | null;
  is_panic: ColumnType<boolean, boolean | undefined, boolean>;
  /** The earliest due time of the case's running SLA clocks (0020): written by the SLA recomputation only. */
  sla_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** `sla_due_at` while the case is open, else null (generated, 0020): the key of the SLA-due queue views. */
  open_sla_due_at: ColumnType<Date | null, never, never>;
  mail_token: Generated<string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  solved_at: Date | null;
  closed_at: Date | null;
};

export type MessagesTable = {
  id: Generated<string>;
  ticket_id: string;
  author_id: string | null;
  body: string;
  is_internal: boolean;
  channel: string;
  quoted_body: ColumnType<string | null, string | null | undefined, string | null>;
  body_html: ColumnType<string | null, string | null | undefined, string | null>;
  inbound_mail_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
};

export type AttachmentsTable = {
  id: Generated<string>;
  ticket_id: string | null;
  message_id: string | null;
  organization_id: string | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string | null;
  created_at: CreatedAt;
};

export type TicketLinksTable = {
  id: Generated<string>;
  ticket_id: string;
  kind: string;
  target_ticket_id: string | null;
  external_ref: string | null;
  external_url: string | null;
  created_by: string | null;
  created_at: CreatedAt;
};

export type AuditEventsTable = {
  id: Generated<string>;
  subject_type: string;
  subject_id: string;
  ticket_id: string | null;
  actor_id: string | null;
  action: string;
  changes: Json<unknown>;
  created_at: CreatedAt;
};

export type SavedViewsTable = {
  id: Generated<string>;
  slug: string;
  name: string;
  owner_id: string | null;
  filters: Json<unknown>;
  sort: string;
  created_at: CreatedAt;
};

export type OutboxTable = {
  id: Generated<string>;
  topic: string;
  payload: Json<unknown>;
  created_at: CreatedAt;
  available_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  processed_at: Date | null;
  dead_at: Date | null;
  last_error: string | null;
};

export type IdempotencyKeysTable = {
  actor_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response: Json<unknown> | null;
  created_at: CreatedAt;
};

export type ServerSettingsTable = { key: string; value: Json<unknown>; updated_at: Timestamp };
export type SchemaMigrationsTable = { name: string; checksum: string; applied_at: CreatedAt };

export type CalendarsTable = { id: Generated<string>; name: string; definition: Json<unknown>; created_at: CreatedAt; updated_at: Timestamp };

export type PlansTable = {
  id: Generated<string>;
  code: string;
  name: string;
  calendar_id: string;
  targets: Json<unknown>;
  pause_statuses: ColumnType<string[], string[] | undefined, string[]>;
  warning_thresholds: ColumnType<number[], number[] | undefined, number[]>;
  is_senior_only: ColumnType<boolean, boolean | undefined, boolean>;
  team_id: string | null;
  has_named_tam: ColumnType<boolean, boolean | undefined, boolean>;
  panic_quota: number | null;
  extras: ColumnType<unknown, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type ContractsTable = {
  id: Generated<string>;
  organization_id: string;
  plan_id: string;
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  created_by: string | null;
  created_at: CreatedAt;
};

export type SlaClocksTable = {
  id: Generated<string>;
  ticket_id: string;
  kind: 'first-response' | 'next-response' | 'resolution';
  cycle: ColumnType<number, number | undefined, number>;
  state: 'running' | 'paused' | 'met' | 'breached';
  target_seconds: number;
  started_at: Timestamp;
  due_at: Date | null;
  stopped_at: Date | null;
  business_seconds: ColumnType<number, number | undefined, number>;
  is_breached: ColumnType<boolean, boolean | undefined, boolean>;
  next_check_at: Date | null;
  computed_at: Timestamp;
};

export type SlaNoticesTable = { clock_id: string; threshold: number; crossed_at: Date | null; is_late: ColumnType<boolean, boolean | undefined, boolean>; created_at: CreatedAt };

export type NotificationsTable = {
  id: Generated<string>;
  user_id: string;
  kind: string;
  ticket_id: string | null;
  channel: 'in-app' | 'email';
  payload: Json<unknown>;
  dedupe_key: string;
  deliver_after: Timestamp;
  delivered_at: Date | null;
  read_at: Date | null;
  created_at: CreatedAt;
};

export type PanicEventsTable = {
  id: Generated<string>;
  organization_id: string;
  contract_id: string | null;
  ticket_id: string;
  pressed_by: string;
  description: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
};

export type OrganizationSubscriptionsTable = { user_id: string; organization_id: string; created_at: CreatedAt };
export type TeamRoutingTable = { team_id: string; strategy: 'round-robin' | 'least-loaded' | 'manual'; last_assigned_user_id: string | null; updated_at: Timestamp };
export type PriorityRulesTable = { id: Generated<string>; product: string | null; impact: string; priority: string; position: ColumnType<number, number | undefined, number>; created_at: CreatedAt };
/** 0005_routing: when routing last gave each agent a case. */
export type RoutingAgentStateTable = { user_id: string; last_assigned_at: Date; assignments: ColumnType<number, number | undefined, number> };

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type MailboxesTable = {
  id: Generated<string>;
  address: string;
  name: Defaulted<string>;
  team_id: Nullable<string>;
  imap_url: Nullable<string>;
  is_active: Defaulted<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type MailboxImapStateTable = { mailbox_id: string; folder: string; uid_validity: string | number; last_uid: Defaulted<string | number>; updated_at: Timestamp };
/** 0011: the app node polling a mailbox holds its lease until locked_until. */
export type MailboxImapLeasesTable = { mailbox_id: string; holder: string; locked_until: Timestamp; acquired_at: Timestamp };

export type InboundMailState = 'received' | 'processed' | 'ignored' | 'duplicate' | 'rate-limited' | 'failed';
export type InboundMailsTable = {
  id: Generated<string>;
  mailbox_id: Nullable<string>;
  source: 'smtp' | 'imap' | 'api' | 'cli';
  envelope_from: Nullable<string>;
  envelope_to: Defaulted<string[]>;
  message_id: Nullable<string>;
  from_address: Nullable<string>;
  dedupe_key: string;
  raw: Buffer;
  size: number;
  state: Defaulted<InboundMailState>;
  classification: Nullable<'normal' | 'auto-reply' | 'bounce' | 'feedback'>;
  ticket_id: Nullable<string>;
  created_message_id: Nullable<string>;
  outcome: ColumnType<Record<string, unknown>, string | undefined, string>;
  attempts: Defaulted<number>;
  last_error: Nullable<string>;
  received_at: CreatedAt;
  processed_at: Nullable<Date | string>;
};

export type MailMessageIdsTable = {
  message_id: string;
  ticket_id: string;
  message_ref: Nullable<string>;
  direction: 'in' | 'out';
  thread_index_root: Nullable<string>;
  created_at: CreatedAt;
};

export type TicketParticipantsTable = { ticket_id: string; email: string; user_id: Nullable<string>; role: Defaulted<'cc'>; created_at: CreatedAt };

export type MailAddressFlagsTable = {
  address: string;
  reason: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  inbound_mail_id: Nullable<string>;
  flagged_at: CreatedAt;
};

export type OutboundMailState = 'queued' | 'sending' | 'sent' | 'dead' | 'held';
export type OutboundMailsTable = {
  id: Generated<string>;
  kind: string;
  dedupe_key: string;
  ticket_id: Nullable<string>;
  message_ref: Nullable<string>;
  from_address: string;
  reply_to: Nullable<string>;
  to_addresses: string[];
  cc_addresses: Defaulted<string[]>;
  subject: string;
  message_id: string;
  in_reply_to: Nullable<string>;
  references_ids: Defaulted<string[]>;
  auto_submitted: Defaulted<boolean>;
  locale: Defaulted<string>;
  text_body: string;
  html_body: string;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  state: Defaulted<OutboundMailState>;
  attempts: Defaulted<number>;
  next_attempt_at: Timestamp;
  locked_until: Nullable<Date | string>;
  last_error: Nullable<string>;
  sent_at: Nullable<Date | string>;
  dead_at: Nullable<Date | string>;
  created_at: CreatedAt;
};

export type DatabaseSchema = {
  mailboxes: MailboxesTable;
  mailbox_imap_state: MailboxImapStateTable;
  mailbox_imap_leases: MailboxImapLeasesTable;
  inbound_mails: InboundMailsTable;
  mail_message_ids: MailMessageIdsTable;
  ticket_participants: TicketParticipantsTable;
  mail_address_flags: MailAddressFlagsTable;
  outbound_mails: OutboundMailsTable;
  calendars: CalendarsTable;
  plans: PlansTable;
  contracts: ContractsTable;
  sla_clocks: SlaClocksTable;
  sla_notices: SlaNoticesTable;
  notifications: NotificationsTable;
  panic_events: PanicEventsTable;
  organization_subscriptions: OrganizationSubscriptionsTable;
  team_routing: TeamRoutingTable;
  priority_rules: PriorityRulesTable;
  routing_agent_state: RoutingAgentStateTable;
  organizations: OrganizationsTable;
  users: UsersTable;
  organization_members: OrganizationMembersTable;
  environment_profiles: EnvironmentProfilesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  tickets: TicketsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  ticket_links: TicketLinksTable;
  audit_events: AuditEventsTable;
  saved_views: SavedViewsTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeysTable;
  server_settings: ServerSettingsTable;
  schema_migrations: SchemaMigrationsTable;
};
