-- The email channel: mailboxes (an address + a default team, optional IMAP source), the raw inbound
-- store (a message is committed here before the SMTP 250 or the IMAP flag), threading keys, CC'd
-- participants, flagged (bouncing) addresses, and the outbound queue.

create table mailboxes (
  id uuid primary key default gen_random_uuid(),
  address text not null,
  name text not null default '',
  team_id uuid references teams (id),
  -- imap://user:password@host:port/INBOX or imaps://…; a secret: the API shows it without the password.
  imap_url text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index mailboxes_address_key on mailboxes (lower(address));

-- IMAP progress per mailbox and folder: UIDs at or below last_uid were stored (UIDVALIDITY guards a reset folder).
create table mailbox_imap_state (
  mailbox_id uuid not null references mailboxes (id) on delete cascade,
  folder text not null,
  uid_validity bigint not null,
  last_uid bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (mailbox_id, folder)
);

create table inbound_mails (
  id uuid primary key default gen_random_uuid(),
  mailbox_id uuid references mailboxes (id),
  source text not null check (source in ('smtp', 'imap', 'api', 'cli')),
  envelope_from text,
  envelope_to text[] not null default '{}',
  -- Message-ID header without angle brackets (null when the mail has none).
  message_id text,
  from_address text,
  -- sha256(Message-ID + hash of the body) or of the whole raw message: the same mail stored twice is one row.
  dedupe_key text not null,
  raw bytea not null,
  size integer not null,
  state text not null default 'received'
    check (state in ('received', 'processed', 'ignored', 'duplicate', 'rate-limited', 'failed')),
  classification text check (classification in ('normal', 'auto-reply', 'bounce', 'feedback')),
  ticket_id uuid references tickets (id),
  created_message_id uuid references messages (id),
  outcome jsonb not null default '{}',
  attempts integer not null default 0,
  last_error text,
  received_at timestamptz not null default now(),
  processed_at timestamptz
);
create unique index inbound_mails_dedupe_key on inbound_mails (dedupe_key);
create index inbound_mails_pending_idx on inbound_mails (received_at) where state = 'received';
create index inbound_mails_sender_idx on inbound_mails (lower(from_address), received_at);
create index inbound_mails_ticket_idx on inbound_mails (ticket_id);

-- Every Message-ID we stored or sent, to thread In-Reply-To / References back to a case.
create table mail_message_ids (
  message_id text primary key,
  ticket_id uuid not null references tickets (id),
  message_ref uuid references messages (id),
  direction text not null check (direction in ('in', 'out')),
  -- Outlook Thread-Index root (base64 of the first 22 bytes), when the mail carried one.
  thread_index_root text,
  created_at timestamptz not null default now()
);
create index mail_message_ids_ticket_idx on mail_message_ids (ticket_id);
create index mail_message_ids_thread_index_idx on mail_message_ids (thread_index_root) where thread_index_root is not null;

-- Per-case token used in our Reply-To (support+<token>@…) and Message-IDs: the first threading key.
alter table tickets add column mail_token text not null default replace(gen_random_uuid()::text, '-', '');
create unique index tickets_mail_token_key on tickets (mail_token);

-- The folded part of an emailed message (quoted history, signature) kept beside the new text,
-- and the sanitised HTML version for display.
alter table messages add column quoted_body text;
alter table messages add column body_html text;
alter table messages add column inbound_mail_id uuid references inbound_mails (id);

-- People CC'd on a case by email (they may reply into it and receive public replies).
create table ticket_participants (
  ticket_id uuid not null references tickets (id) on delete cascade,
  email text not null,
  user_id uuid references users (id),
  role text not null default 'cc' check (role in ('cc')),
  created_at timestamptz not null default now(),
  primary key (ticket_id, email)
);

-- Addresses whose mail bounced: outbound mail to them is held and agents see the flag.
create table mail_address_flags (
  address text primary key,
  reason text not null,
  detail jsonb not null default '{}',
  inbound_mail_id uuid references inbound_mails (id),
  flagged_at timestamptz not null default now()
);

create table outbound_mails (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  -- One row per logical mail (e.g. reply:<messageId>:<address>): a retried enqueue never sends twice.
  dedupe_key text not null,
  ticket_id uuid references tickets (id),
  message_ref uuid references messages (id),
  from_address text not null,
  reply_to text,
  to_addresses text[] not null,
  cc_addresses text[] not null default '{}',
  subject text not null,
  message_id text not null,
  in_reply_to text,
  references_ids text[] not null default '{}',
  auto_submitted boolean not null default false,
  locale text not null default 'en',
  text_body text not null,
  html_body text not null,
  headers jsonb not null default '{}',
  state text not null default 'queued' check (state in ('queued', 'sending', 'sent', 'dead', 'held')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  last_error text,
  sent_at timestamptz,
  dead_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index outbound_mails_dedupe_key on outbound_mails (dedupe_key);
create unique index outbound_mails_message_id_key on outbound_mails (message_id);
create index outbound_mails_pending_idx on outbound_mails (next_attempt_at) where state in ('queued', 'sending');
create index outbound_mails_dead_idx on outbound_mails (dead_at desc) where state = 'dead';
