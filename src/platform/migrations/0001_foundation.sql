-- Casebook foundation: identity, accounts, tickets, audit, outbox, idempotency.
-- One dialect for PGlite (PostgreSQL 18) and PostgreSQL >= 15: no uuidv7(), no virtual columns.

create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  plan_code text,
  tam_id uuid,
  domains text[] not null default '{}',
  shares_cases boolean not null default false,
  is_unassigned boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index organizations_name_key on organizations (lower(name));
create index organizations_domains_idx on organizations using gin (domains);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  kind text not null check (kind in ('agent', 'contact')),
  roles text[] not null default '{}',
  organization_id uuid references organizations (id),
  is_senior boolean not null default false,
  support_line text check (support_line in ('L1', 'L2', 'L3')),
  time_zone text not null default 'UTC',
  locale text not null default 'en',
  working_hours jsonb,
  max_open_cases integer,
  password_hash text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'contact') = (organization_id is not null))
);
create unique index users_email_key on users (lower(email));
create index users_organization_idx on users (organization_id) where organization_id is not null;

alter table organizations add constraint organizations_tam_fk foreign key (tam_id) references users (id);

create table organization_members (
  organization_id uuid not null references organizations (id) on delete cascade,
  user_id uuid not null references users (id),
  role text not null,
  primary key (organization_id, user_id, role)
);

create table environment_profiles (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  version integer not null,
  components jsonb not null default '[]',
  notes text not null default '',
  diagram_attachment_ids uuid[] not null default '{}',
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  unique (organization_id, version)
);

create table teams (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  lead_id uuid references users (id),
  created_at timestamptz not null default now()
);
create unique index teams_name_key on teams (lower(name));

create table team_members (
  team_id uuid not null references teams (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (team_id, user_id)
);

create table sessions (
  id text primary key,              -- sha256 of the cookie value
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  token_hash text not null unique,  -- sha256 of the 256-bit token; the token itself is never stored
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table login_failures (
  id bigserial primary key,
  email text not null,
  ip text not null,
  created_at timestamptz not null default now()
);
create index login_failures_email_idx on login_failures (lower(email), created_at);
create index login_failures_ip_idx on login_failures (ip, created_at);

create sequence ticket_number_seq start with 1001;

create table tickets (
  id uuid primary key default gen_random_uuid(),
  number integer not null default nextval('ticket_number_seq') unique,
  subject text not null,
  requester_id uuid not null references users (id),
  organization_id uuid not null references organizations (id),
  product text,
  priority text not null check (priority in ('P1', 'P2', 'P3', 'P4')),
  severity text check (severity in ('S1', 'S2', 'S3', 'S4')),
  status text not null check (status in ('new', 'open', 'pending-customer', 'pending-vendor', 'on-hold', 'solved', 'closed')),
  is_open boolean generated always as (status not in ('solved', 'closed')) stored,
  assignee_id uuid references users (id),
  team_id uuid references teams (id),
  support_line text check (support_line in ('L1', 'L2', 'L3')),
  tags text[] not null default '{}',
  channel text not null check (channel in ('email', 'portal', 'api', 'phone', 'chat')),
  environment_version integer,
  merged_into_id uuid references tickets (id),
  -- Millisecond precision: queue cursors carry these timestamps through JSON without loss.
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  solved_at timestamptz,
  closed_at timestamptz
);
-- Queue views read open cases ordered by priority then age: partial indexes keep them small.
create index tickets_open_queue_idx on tickets (priority, created_at, id) where is_open;
create index tickets_open_assignee_idx on tickets (assignee_id, priority, created_at, id) where is_open;
create index tickets_open_team_idx on tickets (team_id, priority, created_at, id) where is_open;
create index tickets_open_unassigned_idx on tickets (priority, created_at, id) where is_open and assignee_id is null;
create index tickets_organization_idx on tickets (organization_id, created_at desc, id);
create index tickets_requester_idx on tickets (requester_id, created_at desc, id);
create index tickets_created_idx on tickets (created_at desc, id);
create index tickets_tags_idx on tickets using gin (tags);

create table messages (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  author_id uuid references users (id),
  body text not null,
  is_internal boolean not null default false,
  channel text not null,
  created_at timestamptz not null default now()
);
create index messages_ticket_idx on messages (ticket_id, created_at, id);

create table attachments (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid references tickets (id),
  message_id uuid references messages (id),
  organization_id uuid references organizations (id),
  filename text not null,
  content_type text not null,
  size integer not null,
  sha256 text not null,
  uploaded_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index attachments_ticket_idx on attachments (ticket_id);
create index attachments_message_idx on attachments (message_id);

create table ticket_links (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  kind text not null check (kind in ('related', 'duplicate', 'upstream-vendor')),
  target_ticket_id uuid references tickets (id),
  external_ref text,
  external_url text,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check (target_ticket_id is not null or external_ref is not null)
);
create index ticket_links_ticket_idx on ticket_links (ticket_id);
create index ticket_links_target_idx on ticket_links (target_ticket_id);

create table audit_events (
  id bigserial primary key,
  subject_type text not null,
  subject_id uuid not null,
  ticket_id uuid references tickets (id),
  actor_id uuid references users (id),
  action text not null,
  changes jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_events_ticket_idx on audit_events (ticket_id, id) where ticket_id is not null;
create index audit_events_subject_idx on audit_events (subject_type, subject_id, id);

create table saved_views (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  name text not null,
  owner_id uuid references users (id) on delete cascade,
  filters jsonb not null default '{}',
  sort text not null default 'priority',
  created_at timestamptz not null default now()
);

create table outbox (
  id bigserial primary key,
  topic text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  available_at timestamptz not null default now(),
  attempts integer not null default 0,
  locked_until timestamptz,
  processed_at timestamptz,
  dead_at timestamptz,
  last_error text
);
create index outbox_pending_idx on outbox (available_at, id) where processed_at is null and dead_at is null;

create table idempotency_keys (
  actor_id uuid not null,
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (actor_id, key)
);

create table server_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
