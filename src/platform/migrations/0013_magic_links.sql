-- Passwordless sign-in: single-use e-mailed links. Only the SHA-256 of a token is stored.
create table magic_links (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  user_id uuid not null references users (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index magic_links_user_idx on magic_links (user_id, created_at desc);

-- Every request, known address or not, so the throttle reveals nothing about which accounts exist.
create table magic_link_requests (
  id bigserial primary key,
  email text not null,
  ip text not null,
  created_at timestamptz not null default now()
);
create index magic_link_requests_email_idx on magic_link_requests (lower(email), created_at desc);
create index magic_link_requests_ip_idx on magic_link_requests (ip, created_at desc);
