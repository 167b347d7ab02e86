-- SLA clocks keep only what the timer, the queues (sla-due), the reports and the metrics read:
-- due time, state, consumed business time, breach flag, target, next check. The explanation of a
-- clock (plan, calendar, pauses, events, readable lines) is no longer stored: GET
-- /api/v1/tickets/:id/sla builds it on demand from the case history, the plan and its calendar
-- with the same computation, so it always reflects current data, and a bulk recomputation
-- (a calendar or plan change over every open case) no longer rewrites about 1 KB of JSON per clock.
alter table sla_clocks drop column explanation;

-- The unique (ticket_id, kind, cycle) index already serves every lookup by case; this one only
-- made each clock write maintain one more index.
drop index if exists sla_clocks_ticket_idx;
