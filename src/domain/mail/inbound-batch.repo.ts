/**
 * SQL of batched inbound processing: the stored mails waiting next to the one an event names, the
 * lock of one mail together with every lookup its decision needs (one round trip instead of one per
 * question), and its outcome recorded together with its Message-ID.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db/database.ts';
import type { Actor, Role } from '../identity/index.ts';
import { spellings, type InboundMailOutcome, type SenderUser, type StoredInboundMail } from './inbound-processing.repo.ts';

type SenderRow = SenderUser & { roles: string[]; isSenior: boolean; name: string; email: string; locale: string };

type StoredRow = {
  id: string;
  state: string;
  raw: Buffer;
  mailbox_id: string | null;
  envelope_from: string | null;
  envelope_to: string[];
  received_at: Date;
  outcome: Record<string, unknown> | string | null;
};

function toStored(row: StoredRow): StoredInboundMail {
  const outcome = typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as Record<string, unknown>) : row.outcome;
  const released = row.state === 'received' && outcome?.released === true;
  return { id: row.id, state: row.state, raw: row.raw, mailboxId: row.mailbox_id, envelopeFrom: row.envelope_from, envelopeTo: row.envelope_to, receivedAt: new Date(row.received_at), released };
}

/**
 * The named mail (whatever its state) and, after it, up to `limit - 1` others still waiting that
 * no run has tried yet (`attempts = 0`: a mail that failed once is left to its own event and its
 * backoff), oldest first, as long as their raw bytes fit in `maxBytes`. In arrival order; the raw
 * bytes only of mails still waiting.
 */
export async function listInboundMailsToProcess(executor: Executor, firstId: string, options: { limit: number; maxBytes: number }): Promise<StoredInboundMail[]> {
  const result = await sql<StoredRow>`
    with waiting as (
      select id, sum(size) over (order by received_at, id) as bytes
      from (select id, size, received_at from inbound_mails
            where state = 'received' and attempts = 0 and id <> ${firstId}
            order by received_at, id limit ${Math.max(0, options.limit - 1)}) oldest)
    select id, state, case when state = 'received' then raw else ''::bytea end as raw, mailbox_id, envelope_from, envelope_to, received_at, outcome
    from inbound_mails
    where id = ${firstId} or id in (select id from waiting where bytes <= ${options.maxBytes})
    order by received_at, id`.execute(executor);
  return result.rows.map(toStored);
}

/** What the decision about one mail needs to know, read under its lock. */
export type InboundLookup = {
  /** The mail's state once locked; null when it is gone or (skipLocked) another run holds it. */
  state: string | null;
  /** The mail's own Message-ID is known: 'in' (stored before), 'out' (we sent it). */
  seen: 'in' | 'out' | null;
  sender: SenderUser | null;
  /** The sender's account as an actor (who authors a reply), when it is active. */
  senderActor: Actor | null;
  byToken: string | null;
  /** Referenced Message-IDs we stored or sent (without brackets) → their case. */
  byMessageId: Map<string, string>;
  byNumber: string | null;
  byThreadIndex: string | null;
  /** Cases opened by mail from the sender in the rate-limit window (null when no limit applies). */
  senderCases: number | null;
};

export type LookupKeys = {
  messageId: string | null;
  fromAddress: string | null;
  tokens: readonly string[];
  messageIds: readonly string[];
  caseNumber: number | null;
  threadIndexRoot: string | null;
  /** Start of the sender's rate-limit window; it ends at the mail's stored arrival time. */
  rateWindow: { from: Date } | null;
};

/**
 * Locks the stored mail (`FOR UPDATE`, or `SKIP LOCKED` for a mail taken along in a batch) and, in
 * the same statement, reads: its Message-ID seen before, the sender's account, the thread
 * candidates (token, In-Reply-To/References, case number, Thread-Index root) and the sender's
 * recent cases for the rate limit. A lookup whose key is absent is left out of the statement.
 */
export async function lockAndLookUpInboundMail(tx: Tx, id: string, keys: LookupKeys, options: { skipLocked: boolean }): Promise<InboundLookup> {
  const own = spellings(keys.messageId ? [keys.messageId] : []);
  const referenced = spellings(keys.messageIds);
  const from = keys.fromAddress?.toLowerCase() ?? null;
  const lock = options.skipLocked ? sql`for update skip locked` : sql`for update`;
  const row = (
    await sql<LookupRow>`
      with locked as (select state from inbound_mails where id = ${id} ${lock})
      select
        (select state from locked) as state,
        ${own.length ? sql`(select direction from mail_message_ids where message_id = any(${sql.val(own)}::text[]) limit 1)` : sql`null::text`} as seen_in,
        ${own.length ? sql`exists (select 1 from outbound_mails where message_id = any(${sql.val(own)}::text[]))` : sql`false`} as seen_out,
        ${
          from
            ? sql`(select json_build_object('id', u.id, 'kind', u.kind, 'organizationId', u.organization_id, 'isActive', u.is_active,
                     'roles', u.roles, 'isSenior', u.is_senior, 'name', u.name, 'email', u.email, 'locale', u.locale) from users u where lower(u.email) = ${from})`
            : sql`null::json`
        } as sender,
        ${keys.tokens.length ? sql`(select t.id from tickets t where t.mail_token = any(${sql.val([...keys.tokens])}::text[]) order by t.created_at limit 1)` : sql`null::uuid`} as by_token,
        ${
          referenced.length
            ? sql`(select json_agg(json_build_object('messageId', r.message_id, 'ticketId', r.ticket_id)) from (
                 select message_id, ticket_id from mail_message_ids where message_id = any(${sql.val(referenced)}::text[])
                 union all
                 select message_id, ticket_id from outbound_mails where message_id = any(${sql.val(referenced)}::text[]) and ticket_id is not null) r)`
            : sql`null::json`
        } as by_message_id,
        ${keys.caseNumber === null ? sql`null::uuid` : sql`(select t.id from tickets t where t.number = ${keys.caseNumber}::integer)`} as by_number,
        ${
          keys.threadIndexRoot === null
            ? sql`null::uuid`
            : sql`(select m.ticket_id from mail_message_ids m where m.thread_index_root = ${keys.threadIndexRoot}::text order by m.created_at desc limit 1)`
        } as by_thread_index,
        ${
          keys.rateWindow && from
            ? sql`(select count(*) from inbound_mails i
                   where lower(i.from_address) = ${from} and i.received_at > ${keys.rateWindow.from}
                     and i.received_at <= (select r.received_at from inbound_mails r where r.id = ${id})
                     and i.state = 'processed' and i.outcome->>'action' in ('created', 'linked') and i.id <> ${id})`
            : sql`null::bigint`
        } as sender_cases`.execute(tx)
  ).rows[0]!;
  return toLookup(row);
}

type LookupRow = {
  state: string | null;
  seen_in: string | null;
  seen_out: boolean;
  sender: SenderRow | string | null;
  by_token: string | null;
  by_message_id: { messageId: string; ticketId: string }[] | string | null;
  by_number: string | null;
  by_thread_index: string | null;
  sender_cases: string | number | null;
};

function toLookup(row: LookupRow): InboundLookup {
  const parse = <T>(value: T | string | null): T | null => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
  const byMessageId = new Map<string, string>();
  for (const ref of parse(row.by_message_id) ?? []) byMessageId.set(ref.messageId.replace(/^<|>$/g, ''), ref.ticketId);
  const seenIn = row.seen_in as 'in' | 'out' | null;
  const sender = parse(row.sender);
  return {
    state: row.state,
    seen: seenIn ?? (row.seen_out ? 'out' : null),
    sender: sender && { id: sender.id, kind: sender.kind, organizationId: sender.organizationId, isActive: sender.isActive },
    senderActor:
      sender && sender.isActive
        ? { userId: sender.id, kind: sender.kind, roles: sender.roles as Role[], organizationId: sender.organizationId, senior: sender.isSenior, name: sender.name, email: sender.email, locale: sender.locale }
        : null,
    byToken: row.by_token,
    byMessageId,
    byNumber: row.by_number,
    byThreadIndex: row.by_thread_index,
    senderCases: row.sender_cases === null ? null : Number(row.sender_cases),
  };
}

/**
 * lockAndLookUpInboundMail for several mails taken along in a batch (`SKIP LOCKED`), in ONE statement
 * of the same text whatever their number: each mail's lock state and lookups, in input order. The
 * caller passes mails that do not depend on one another (process-inbound-mail.ts: no lane key in
 * common), so none of their lookups would read what processing another of them writes.
 */
export async function lockAndLookUpInboundMails(tx: Tx, mails: readonly { id: string; keys: LookupKeys }[]): Promise<InboundLookup[]> {
  if (mails.length === 0) return [];
  const input = mails.map(({ id, keys }, ord) => ({
    ord,
    id,
    own: spellings(keys.messageId ? [keys.messageId] : []),
    referenced: spellings(keys.messageIds),
    from_address: keys.fromAddress?.toLowerCase() ?? null,
    tokens: [...keys.tokens],
    case_number: keys.caseNumber,
    thread_index_root: keys.threadIndexRoot,
    rate_from: keys.rateWindow?.from.toISOString() ?? null,
  }));
  const result = await sql<LookupRow & { ord: number }>`
    with lookups as materialized (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(
        ord int, id uuid, own text[], referenced text[], from_address text, tokens text[], case_number integer,
        thread_index_root text, rate_from timestamptz)
    ), locked as materialized (
      select id, state from inbound_mails where id = any(${sql.val(mails.map((mail) => mail.id))}::uuid[]) for update skip locked
    ),
    -- Message-IDs are matched for all the mails at once (a join, not a scan per mail).
    own as (select x.ord, o.id from lookups x cross join lateral unnest(x.own) as o(id)),
    referenced as (select x.ord, r.id from lookups x cross join lateral unnest(x.referenced) as r(id)),
    seen_in as (select distinct on (own.ord) own.ord, m.direction from own join mail_message_ids m on m.message_id = own.id order by own.ord),
    seen_out as (select distinct own.ord from own join outbound_mails o on o.message_id = own.id),
    by_message_id as (
      select r.ord, json_agg(json_build_object('messageId', r.message_id, 'ticketId', r.ticket_id) order by r.source) as refs
      from (
        select referenced.ord, 0 as source, m.message_id, m.ticket_id from referenced join mail_message_ids m on m.message_id = referenced.id
        union all
        select referenced.ord, 1, o.message_id, o.ticket_id from referenced join outbound_mails o on o.message_id = referenced.id where o.ticket_id is not null) r
      group by r.ord
    )
    select
      x.ord,
      (select l.state from locked l where l.id = x.id) as state,
      seen_in.direction as seen_in,
      seen_out.ord is not null as seen_out,
      (select json_build_object('id', u.id, 'kind', u.kind, 'organizationId', u.organization_id, 'isActive', u.is_active,
              'roles', u.roles, 'isSenior', u.is_senior, 'name', u.name, 'email', u.email, 'locale', u.locale)
         from users u where lower(u.email) = x.from_address) as sender,
      (select t.id from tickets t where t.mail_token = any(x.tokens) order by t.created_at limit 1) as by_token,
      by_message_id.refs as by_message_id,
      (select t.id from tickets t where t.number = x.case_number) as by_number,
      (select m.ticket_id from mail_message_ids m where m.thread_index_root = x.thread_index_root order by m.created_at desc limit 1) as by_thread_index,
      case when x.rate_from is not null and x.from_address is not null then
        (select count(*) from inbound_mails i
         where lower(i.from_address) = x.from_address and i.received_at > x.rate_from
           and i.received_at <= (select r.received_at from inbound_mails r where r.id = x.id)
           and i.state = 'processed' and i.outcome->>'action' in ('created', 'linked') and i.id <> x.id)
      end as sender_cases
    from lookups x
      left join seen_in on seen_in.ord = x.ord
      left join seen_out on seen_out.ord = x.ord
      left join by_message_id on by_message_id.ord = x.ord
    order by x.ord`.execute(tx);
  return result.rows.map(toLookup);
}

export type IncomingRecord = { messageId: string; ticketId: string; messageRef: string; threadIndexRoot: string | null };

/** Records the outcome and, when the mail made a case or message, its Message-ID — one statement. */
export async function finishInboundMailWithMessageId(tx: Tx, id: string, result: InboundMailOutcome, incoming: IncomingRecord | null): Promise<void> {
  await finishInboundMailsWithMessageIds(tx, [{ id, result, incoming }]);
}

/**
 * The outcomes of several mails and the Message-IDs of those that made a case or message — one
 * statement, whatever their number (the mails are distinct, and so are their Message-IDs).
 */
export async function finishInboundMailsWithMessageIds(
  tx: Tx,
  mails: readonly { id: string; result: InboundMailOutcome; incoming: IncomingRecord | null }[],
): Promise<void> {
  if (mails.length === 0) return;
  const input = mails.map(({ id, result, incoming }, ord) => ({
    ord,
    id,
    state: result.state,
    classification: result.classification,
    from_address: result.fromAddress,
    ticket_id: result.ticketId,
    created_message_id: result.messageId,
    outcome: result.outcome,
    last_error: result.lastError ?? null,
    incoming_message_id: incoming?.messageId ?? null,
    incoming_ticket_id: incoming?.ticketId ?? null,
    incoming_message_ref: incoming?.messageRef ?? null,
    incoming_thread_index_root: incoming?.threadIndexRoot ?? null,
  }));
  await sql`
    with outcomes as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(
        ord int, id uuid, state text, classification text, from_address text, ticket_id uuid, created_message_id uuid, outcome jsonb,
        last_error text, incoming_message_id text, incoming_ticket_id uuid, incoming_message_ref uuid, incoming_thread_index_root text)
    ), finished as (
      update inbound_mails i set
        state = x.state, classification = x.classification, from_address = x.from_address,
        ticket_id = x.ticket_id, created_message_id = x.created_message_id, outcome = x.outcome,
        last_error = x.last_error, attempts = i.attempts + 1, processed_at = now()
      from outcomes x
      where i.id = x.id and i.id = any(${sql.val(mails.map((mail) => mail.id))}::uuid[])
      returning i.id
    ), recorded as (
      insert into mail_message_ids (message_id, ticket_id, message_ref, direction, thread_index_root)
      select incoming_message_id, incoming_ticket_id, incoming_message_ref, 'in', incoming_thread_index_root
      from outcomes where incoming_message_id is not null order by ord
      on conflict (message_id) do nothing
    )
    select count(*) from finished`.execute(tx);
}
