-- Routing and workload: when routing last gave each agent a case (least-loaded ties go to the
-- agent idle longest), and the reference priority rules (a hosting "server down" outranks a
-- domain question). team_routing and priority_rules themselves come from 0002.

create table routing_agent_state (
  user_id uuid primary key references users (id) on delete cascade,
  last_assigned_at timestamptz not null,
  assignments integer not null default 0
);

insert into priority_rules (id, product, impact, priority, position) values
  ('e0000000-0000-4000-8000-000000000001', 'Managed VPS', 'production-down', 'P1', 10),
  ('e0000000-0000-4000-8000-000000000002', 'Domains', 'question', 'P4', 20);
