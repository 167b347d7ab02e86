-- Which app node polls each IMAP mailbox: a lease the polling node renews while it holds the
-- connection; another node takes the mailbox over only once the lease has expired (or was released).
create table mailbox_imap_leases (
  mailbox_id uuid primary key references mailboxes (id) on delete cascade,
  holder text not null,
  locked_until timestamptz not null,
  acquired_at timestamptz not null default now()
);
