-- SLA clocks on cases: notice bookkeeping for the timer, and the queue's "breaching soon" lookup.

-- When the threshold was crossed (computed from the clock), and whether the timer handled it well
-- after that moment (e.g. the app was down): such notices are marked late in their notifications.
alter table sla_notices add column crossed_at timestamptz;
alter table sla_notices add column is_late boolean not null default false;

-- Open cases whose running clock is due soon (queue views, "breaching soon").
create index sla_clocks_running_due_idx on sla_clocks (due_at) where state = 'running';
