-- The SLA-due queue views sort open cases by the earliest due time of their running clocks. Found
-- through the clocks at each read (a walk of the running clocks, or the earliest per case), a page
-- cost a plan at each run and read up to every running clock: at 100,000 cases its p99 on PGlite
-- was 12.7-16.3 ms through the API against 6.2-7.8 ms for the priority views, which walk one index.
--
-- A case now carries that time. `sla_due_at` is the earliest due time of its ticking clocks, running
-- or already breached (null when none ticks: paused, met, no plan), written by the SLA
-- recomputation of the case with its clocks, while it holds the case's row lock
-- (recomputeCaseBatch). Until now a breached clock left the sort and its case fell among the cases
-- without a clock; overdue cases now come first.
--
-- The views read `open_sla_due_at`: the same time while the case is open, null once it is solved
-- or closed (solving or closing stops every clock; the recomputation that follows clears
-- `sla_due_at` too, this column does not wait for it). One column that implies "open" also lets
-- the planner count the cases it selects: with `is_open and sla_due_at is not null` it multiplied
-- the two as if independent, expected 22 unassigned cases where 1,226 were (100,000 cases), and
-- sorted them all instead of walking the index to the page's 51.
--
-- Each view walks one partial index (all open, unassigned, per assignee, per team), like the
-- priority views; only open cases with a ticking clock enter them.
alter table tickets add column sla_due_at timestamptz;

update tickets t set sla_due_at = d.due_at
from (select ticket_id, min(due_at) as due_at from sla_clocks where state in ('running', 'breached') group by ticket_id) d
where t.id = d.ticket_id and d.due_at is not null;

alter table tickets add column open_sla_due_at timestamptz generated always as (case when status not in ('solved', 'closed') then sla_due_at end) stored;

create index tickets_open_sla_due_idx on tickets (open_sla_due_at, id) where open_sla_due_at is not null;
create index tickets_open_unassigned_sla_due_idx on tickets (open_sla_due_at, id) where assignee_id is null and open_sla_due_at is not null;
create index tickets_open_assignee_sla_due_idx on tickets (assignee_id, open_sla_due_at, id) where assignee_id is not null and open_sla_due_at is not null;
create index tickets_open_team_sla_due_idx on tickets (team_id, open_sla_due_at, id) where team_id is not null and open_sla_due_at is not null;
