-- Premium-support program: calendars, plans, contracts, SLA clocks, notices, notifications,
-- panic button, TAM subscriptions, routing.

create table calendars (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  definition jsonb not null,            -- { timeZone, week, holidays } (domain/sla BusinessCalendar)
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index calendars_name_key on calendars (lower(name));

create table plans (
  id uuid primary key default gen_random_uuid(),
  code text not null unique,            -- stable reference, e.g. standard, premium, enterprise-lite
  name text not null,
  calendar_id uuid not null references calendars (id),
  targets jsonb not null,               -- { P1: { firstResponse, nextResponse, resolution }, … } durations
  pause_statuses text[] not null default '{pending-customer}',
  warning_thresholds integer[] not null default '{75,90}',
  is_senior_only boolean not null default false,
  team_id uuid references teams (id),
  has_named_tam boolean not null default false,
  panic_quota integer,                  -- per contract year; null = unlimited, 0 = no panic button
  extras jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table contracts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  plan_id uuid not null references plans (id),
  starts_on date not null,
  ends_on date not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
);
create index contracts_organization_idx on contracts (organization_id, starts_on desc);

alter table tickets add column plan_id uuid references plans (id);
alter table tickets add column is_panic boolean not null default false;

-- Materialised SLA clocks, recomputed from the case history on every relevant event.
create table sla_clocks (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id) on delete cascade,
  kind text not null check (kind in ('first-response', 'next-response', 'resolution')),
  cycle integer not null default 1,     -- next-response restarts; each cycle is its own clock
  state text not null check (state in ('running', 'paused', 'met', 'breached')),
  target_seconds integer not null,
  started_at timestamptz not null,
  due_at timestamptz,
  stopped_at timestamptz,
  business_seconds integer not null default 0,
  is_breached boolean not null default false,
  next_check_at timestamptz,            -- next warning or breach moment the timer must look at
  explanation jsonb not null default '{}',
  computed_at timestamptz not null default now(),
  unique (ticket_id, kind, cycle)
);
create index sla_clocks_due_idx on sla_clocks (next_check_at) where next_check_at is not null;
create index sla_clocks_ticket_idx on sla_clocks (ticket_id);

-- At most one notice per clock threshold, whatever the number of timer processes.
create table sla_notices (
  clock_id uuid not null references sla_clocks (id) on delete cascade,
  threshold integer not null,           -- percent of the target; 100 = breach
  created_at timestamptz not null default now(),
  primary key (clock_id, threshold)
);

create table notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,                   -- sla.warning, sla.breach, panic, case.new-subscribed, …
  ticket_id uuid references tickets (id) on delete cascade,
  channel text not null check (channel in ('in-app', 'email')),
  payload jsonb not null default '{}',
  dedupe_key text not null,
  deliver_after timestamptz not null default now(),
  delivered_at timestamptz,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, channel, dedupe_key)
);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_pending_idx on notifications (deliver_after) where delivered_at is null;

create table panic_events (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id),
  contract_id uuid references contracts (id),
  ticket_id uuid not null references tickets (id),
  pressed_by uuid not null references users (id),
  description text not null default '',
  created_at timestamptz not null default now()
);
create index panic_events_organization_idx on panic_events (organization_id, created_at desc);

create table organization_subscriptions (
  user_id uuid not null references users (id) on delete cascade,
  organization_id uuid not null references organizations (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, organization_id)
);
create index organization_subscriptions_org_idx on organization_subscriptions (organization_id);

create table team_routing (
  team_id uuid primary key references teams (id) on delete cascade,
  strategy text not null check (strategy in ('round-robin', 'least-loaded', 'manual')),
  last_assigned_user_id uuid references users (id),
  updated_at timestamptz not null default now()
);

-- Priority derived from product/impact (a hosting "server down" outranks a domain question).
create table priority_rules (
  id uuid primary key default gen_random_uuid(),
  product text,                         -- null = any product
  impact text not null,                 -- e.g. production-down, degraded, question
  priority text not null check (priority in ('P1', 'P2', 'P3', 'P4')),
  position integer not null default 0,
  created_at timestamptz not null default now()
);

-- Reference calendars and plans (brief: Standard, Premium, Enterprise-lite).
insert into calendars (id, name, definition) values
  ('c0000000-0000-4000-8000-000000000001', 'Toronto business hours', '{"timeZone": "America/Toronto", "week": {"mon": [["08:00", "20:00"]], "tue": [["08:00", "20:00"]], "wed": [["08:00", "20:00"]], "thu": [["08:00", "20:00"]], "fri": [["08:00", "20:00"]], "sat": [], "sun": []}, "holidays": [{"date": "01-01", "yearly": true, "name": "New Year''s Day"}, {"date": "07-01", "yearly": true, "name": "Canada Day"}, {"date": "12-25", "yearly": true, "name": "Christmas Day"}, {"date": "2026-02-16", "name": "Family Day"}, {"date": "2026-04-03", "name": "Good Friday"}, {"date": "2026-05-18", "name": "Victoria Day"}, {"date": "2026-08-03", "name": "Civic Holiday"}, {"date": "2026-09-07", "name": "Labour Day"}, {"date": "2026-10-12", "name": "Thanksgiving"}, {"date": "2026-12-28", "name": "Boxing Day (observed)"}, {"date": "2027-02-15", "name": "Family Day"}, {"date": "2027-03-26", "name": "Good Friday"}, {"date": "2027-05-24", "name": "Victoria Day"}, {"date": "2027-08-02", "name": "Civic Holiday"}, {"date": "2027-09-06", "name": "Labour Day"}, {"date": "2027-10-11", "name": "Thanksgiving"}, {"date": "2027-12-27", "name": "Christmas Day (observed)"}, {"date": "2027-12-28", "name": "Boxing Day (observed)"}]}'),
  ('c0000000-0000-4000-8000-000000000002', '24/7', '{"timeZone": "Etc/UTC", "week": {"mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]], "wed": [["00:00", "24:00"]], "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]], "sat": [["00:00", "24:00"]], "sun": [["00:00", "24:00"]]}, "holidays": []}');

insert into plans (id, code, name, calendar_id, targets, is_senior_only, has_named_tam, panic_quota, extras) values
  ('a0000000-0000-4000-8000-000000000001', 'standard', 'Standard', 'c0000000-0000-4000-8000-000000000001', '{"P1": {"firstResponse": {"days": 1}, "nextResponse": {"minutes": 240}, "resolution": {"days": 1}}, "P2": {"firstResponse": {"days": 1}, "nextResponse": {"minutes": 480}, "resolution": {"days": 3}}, "P3": {"firstResponse": {"days": 1}, "nextResponse": {"days": 1}, "resolution": {"days": 5}}, "P4": {"firstResponse": {"days": 1}, "nextResponse": {"days": 2}, "resolution": {"days": 10}}}', false, false, 0, '{}'),
  ('a0000000-0000-4000-8000-000000000002', 'premium', 'Premium', 'c0000000-0000-4000-8000-000000000002', '{"P1": {"firstResponse": {"minutes": 60}, "nextResponse": {"minutes": 60}, "resolution": {"minutes": 480}}, "P2": {"firstResponse": {"minutes": 60}, "nextResponse": {"minutes": 120}, "resolution": {"minutes": 1440}}, "P3": {"firstResponse": {"minutes": 240}, "nextResponse": {"minutes": 480}, "resolution": {"minutes": 4320}}, "P4": {"firstResponse": {"minutes": 480}, "nextResponse": {"minutes": 1440}, "resolution": {"minutes": 10080}}}', true, true, null, '{"touchpoints": "monthly"}'),
  ('a0000000-0000-4000-8000-000000000003', 'enterprise-lite', 'Enterprise-lite', 'c0000000-0000-4000-8000-000000000001', '{"P1": {"firstResponse": {"minutes": 120}, "nextResponse": {"minutes": 240}, "resolution": {"days": 1}}, "P2": {"firstResponse": {"minutes": 240}, "nextResponse": {"minutes": 480}, "resolution": {"days": 2}}, "P3": {"firstResponse": {"days": 1}, "nextResponse": {"days": 1}, "resolution": {"days": 5}}, "P4": {"firstResponse": {"days": 1}, "nextResponse": {"days": 2}, "resolution": {"days": 10}}}', false, false, 1, '{}');
