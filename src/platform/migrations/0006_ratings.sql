-- Customer ratings of agents' public answers: good or bad, with an optional comment. One rating
-- per answer and contact (rating again replaces it); the satisfaction curve reads this table.

create table message_ratings (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null references messages (id) on delete cascade,
  ticket_id uuid not null references tickets (id) on delete cascade,
  organization_id uuid not null references organizations (id),
  rated_by uuid not null references users (id),
  rating text not null check (rating in ('good', 'bad')),
  comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (message_id, rated_by)
);

create index message_ratings_ticket_idx on message_ratings (ticket_id, created_at);
create index message_ratings_organization_idx on message_ratings (organization_id, created_at);
