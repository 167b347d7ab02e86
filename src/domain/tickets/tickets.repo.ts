import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { AttachmentsTable, DatabaseSchema, TicketsTable } from '../../platform/db/schema.ts';
import type { Attachment, Channel, Message, Priority, QueueSort, Severity, Ticket, TicketLink, TicketStatus, TimelineEntry, LinkKind } from './tickets.types.ts';

type TicketRow = Selectable<TicketsTable>;
export type TicketWithAccess = Ticket & { organizationSharesCases: boolean };

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status as TicketStatus,
    priority: row.priority as Priority,
    severity: row.severity as Severity | null,
    organizationId: row.organization_id,
    requesterId: row.requester_id,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    supportLine: row.support_line as Ticket['supportLine'],
    product: row.product,
    tags: row.tags,
    channel: row.channel as Channel,
    environmentVersion: row.environment_version,
    mergedIntoId: row.merged_into_id,
    planId: row.plan_id,
    isPanic: row.is_panic,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    solvedAt: iso(row.solved_at),
    closedAt: iso(row.closed_at),
  };
}

/** One new case as the batched insert takes it: ids are chosen by the caller so results map back. */
export type NewCaseRecord = {
  id: string;
  subject: string;
  requesterId: string;
  product: string | null;
  priority: Priority;
  severity: Severity | null;
  status: TicketStatus;
  assigneeId: string | null;
  teamId: string | null;
  supportLine: string | null;
  tags: string[];
  channel: Channel;
  /** Null: the requester's organisation. */
  organizationId: string | null;
  /** The first (public) message, if any. */
  message: { id: string; authorId: string; body: string; mail?: MailMessageRecord | undefined } | null;
  actorId: string | null;
  auditChanges: Record<string, unknown>;
  /** Extra fields of the `ticket.created` event (beside the case's routing fields). */
  eventExtra: Record<string, unknown>;
  /** A case opened by the panic button (see raisePanicCase). */
  isPanic?: boolean;
};

/**
 * Why the database refused a new case, checked in this order: the requester is unknown or
 * inactive; no organisation was given and the requester has none; a contact requester belongs to
 * another organisation; the assignee is not an active agent; the team does not exist.
 */
export type CaseRefusal = 'requester' | 'requester-organization' | 'assignee' | 'team';
export type NewCaseResult = { ok: true; ticket: Ticket } | { ok: false; refused: CaseRefusal | 'other-case' };

/**
 * Checks and inserts cases with their first message, their `ticket.created` audit row and outbox
 * event in ONE statement (data-modifying CTEs over a JSON array), whatever the number of cases: the
 * write path of case creation, one case or a group of concurrent ones. The requester, assignee and
 * team are checked against the rows the statement itself reads, so creation needs no earlier read.
 * Each case records the latest version of its organisation's environment profile. Results in input
 * order; a refused case is not written, and with `allOrNothing` no case is written if one is refused.
 */
export async function insertNewCases(executor: Executor, cases: readonly NewCaseRecord[], options: { allOrNothing?: boolean } = {}): Promise<NewCaseResult[]> {
  const input = cases.map((item, ord) => ({
    ord,
    id: item.id,
    subject: item.subject,
    requester_id: item.requesterId,
    organization_id: item.organizationId,
    product: item.product,
    priority: item.priority,
    severity: item.severity,
    status: item.status,
    assignee_id: item.assigneeId,
    team_id: item.teamId,
    support_line: item.supportLine,
    tags: item.tags,
    channel: item.channel,
    message_id: item.message?.id ?? null,
    author_id: item.message?.authorId ?? null,
    body: item.message?.body ?? null,
    quoted_body: item.message?.mail?.quotedBody ?? null,
    body_html: item.message?.mail?.bodyHtml ?? null,
    inbound_mail_id: item.message?.mail?.inboundMailId ?? null,
    actor_id: item.actorId,
    audit: item.auditChanges,
    extra: item.eventExtra,
    is_panic: item.isPanic ?? false,
  }));
  // What the database decided for each case; the rest of the new case is the record itself.
  type Written = { input_ord: number; refused: CaseRefusal | null; number: number | null; organization_id: string; environment_version: number | null; plan_id: string | null; created_at: Date };
  const result = await sql<Written>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(
        ord int, id uuid, subject text, requester_id uuid, organization_id uuid, product text, priority text, severity text,
        status text, assignee_id uuid, team_id uuid, support_line text, tags text[], channel text, message_id uuid, author_id uuid,
        body text, quoted_body text, body_html text, inbound_mail_id uuid, actor_id uuid, audit jsonb, extra jsonb, is_panic boolean)
    ), checked as (
      select i.*, coalesce(i.organization_id, r.organization_id) as org,
             case
               when r.id is null or not r.is_active then 'requester'
               when coalesce(i.organization_id, r.organization_id) is null then 'requester-organization'
               when r.kind = 'contact' and r.organization_id <> coalesce(i.organization_id, r.organization_id) then 'requester'
               when i.assignee_id is not null and (a.id is null or a.kind <> 'agent' or not a.is_active) then 'assignee'
               when i.team_id is not null and not exists (select from teams t where t.id = i.team_id) then 'team'
             end as refused
      from input i
      left join users r on r.id = i.requester_id
      left join users a on a.id = i.assignee_id
    ), accepted as (
      select * from checked where refused is null
        ${options.allOrNothing ? sql`and not exists (select from checked where refused is not null)` : sql``}
    ), created as (
      insert into tickets (id, subject, requester_id, organization_id, product, priority, severity, status, assignee_id, team_id,
                           support_line, tags, channel, is_panic, environment_version, plan_id)
      select id, subject, requester_id, org, product, priority, severity, status, assignee_id, team_id, support_line,
             coalesce(tags, '{}'), channel, is_panic,
             -- the accounts context's profile versions: latest of the organisation (null when it has none)
             (select max(version) from environment_profiles e where e.organization_id = accepted.org),
             -- the plans context's plan in force today (UTC), as resolveSlaPolicy decides (migrations 0017, 0018)
             plan_in_force.plan_id
      from accepted left join lateral casebook_plan_in_force(accepted.org, (now() at time zone 'UTC')::date) plan_in_force on true
      order by ord
      returning id, number, organization_id, requester_id, assignee_id, team_id, status, priority, channel, environment_version, plan_id, created_at
    ), first_messages as (
      insert into messages (id, ticket_id, author_id, body, is_internal, channel, quoted_body, body_html, inbound_mail_id)
      select message_id, id, author_id, body, false, channel, quoted_body, body_html, inbound_mail_id from accepted where message_id is not null
    ), audit as (
      insert into audit_events (subject_type, subject_id, ticket_id, actor_id, action, changes)
      select 'ticket', id, id, actor_id, 'ticket.created', audit from accepted order by ord
    ), events as (
      insert into outbox (topic, payload)
      select 'ticket.created',
             jsonb_build_object('ticketId', c.id, 'number', c.number, 'organizationId', c.organization_id, 'requesterId', c.requester_id,
                                'assigneeId', c.assignee_id, 'status', c.status, 'priority', c.priority, 'channel', c.channel,
                                -- what routing and the SLA handler first look at (the case as written)
                                'teamId', c.team_id, 'planId', c.plan_id, 'createdAt', c.created_at) || a.extra
      from created c join accepted a on a.id = c.id order by a.ord
    )
    select ch.ord as input_ord, ch.refused, c.number, c.organization_id, c.environment_version, c.plan_id, c.created_at
    from checked ch left join created c on c.id = ch.id`.execute(executor);
  const results: NewCaseResult[] = [];
  for (const row of result.rows) {
    // A case not written though not refused itself: allOrNothing, another one was refused.
    results[row.input_ord] = row.refused ? { ok: false, refused: row.refused } : row.number !== null ? { ok: true, ticket: newTicket(cases[row.input_ord]!, row) } : { ok: false, refused: 'other-case' };
  }
  return results;
}

/** A case just written by insertNewCases: its record, and what the database chose (number, organisation, profile version, plan, time). */
function newTicket(
  record: NewCaseRecord,
  written: { number: number | null; organization_id: string; environment_version: number | null; plan_id: string | null; created_at: Date },
): Ticket {
  const createdAt = written.created_at.toISOString();
  return {
    id: record.id,
    number: written.number!,
    subject: record.subject,
    status: record.status,
    priority: record.priority,
    severity: record.severity,
    organizationId: written.organization_id,
    requesterId: record.requesterId,
    assigneeId: record.assigneeId,
    teamId: record.teamId,
    supportLine: record.supportLine as Ticket['supportLine'],
    product: record.product,
    tags: record.tags,
    channel: record.channel,
    environmentVersion: written.environment_version,
    mergedIntoId: null,
    planId: written.plan_id,
    isPanic: record.isPanic ?? false,
    createdAt,
    updatedAt: createdAt,
    solvedAt: null,
    closedAt: null,
  };
}

export async function findTicket(executor: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<TicketWithAccess | undefined> {
  let query = executor
    .selectFrom('tickets')
    .innerJoin('organizations', 'organizations.id', 'tickets.organization_id')
    .selectAll('tickets')
    .select('organizations.shares_cases')
    .where('tickets.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('tickets');
  const row = await query.executeTakeFirst();
  return row ? { ...toTicket(row), organizationSharesCases: row.shares_cases } : undefined;
}

/** Several cases at once (locked in id order with forUpdate), by id; a missing id is absent from the map. */
export async function findTickets(executor: Executor, ids: readonly string[], options: { forUpdate?: boolean } = {}): Promise<Map<string, TicketWithAccess>> {
  if (ids.length === 0) return new Map();
  let query = executor
    .selectFrom('tickets')
    .innerJoin('organizations', 'organizations.id', 'tickets.organization_id')
    .selectAll('tickets')
    .select('organizations.shares_cases')
    .where('tickets.id', '=', sql<string>`any(${sql.val([...new Set(ids)])}::uuid[])`)
    .orderBy('tickets.id');
  if (options.forUpdate) query = query.forUpdate('tickets');
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.id, { ...toTicket(row), organizationSharesCases: row.shares_cases }]));
}

/** What routing needs to know of new cases before deciding anything: a narrow read of many cases at once. */
export type TicketGlance = Pick<Ticket, 'id' | 'assigneeId' | 'teamId' | 'planId' | 'organizationId' | 'createdAt'>;

export async function findTicketGlances(executor: Executor, ids: readonly string[]): Promise<Map<string, TicketGlance>> {
  if (ids.length === 0) return new Map();
  const rows = await executor
    .selectFrom('tickets')
    .select(['id', 'assignee_id', 'team_id', 'plan_id', 'organization_id', 'created_at'])
    .where('id', '=', sql<string>`any(${sql.val([...new Set(ids)])}::uuid[])`)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, assigneeId: row.assignee_id, teamId: row.team_id, planId: row.plan_id, organizationId: row.organization_id, createdAt: row.created_at.toISOString() },
    ]),
  );
}

/** The id of case #number, for callers that know cases by their human number. */
export async function findTicketIdByNumber(executor: Executor, number: number): Promise<string | undefined> {
  const row = await executor.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirst();
  return row?.id;
}

export type TicketPatchRecord = Partial<{
  subject: string;
  status: TicketStatus;
  priority: Priority;
  severity: Severity | null;
  assigneeId: string | null;
  teamId: string | null;
  supportLine: string | null;
  product: string | null;
  tags: string[];
  organizationId: string;
  requesterId: string;
  mergedIntoId: string | null;
  solvedAt: Date | null;
  closedAt: Date | null;
}>;

export async function updateTicketRow(executor: Executor, id: string, patch: TicketPatchRecord): Promise<Ticket> {
  const row = await executor
    .updateTable('tickets')
    .set({
      ...(patch.subject !== undefined && { subject: patch.subject }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.priority !== undefined && { priority: patch.priority }),
      ...(patch.severity !== undefined && { severity: patch.severity }),
      ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
      ...(patch.teamId !== undefined && { team_id: patch.teamId }),
      ...(patch.supportLine !== undefined && { support_line: patch.supportLine }),
      ...(patch.product !== undefined && { product: patch.product }),
      ...(patch.tags !== undefined && { tags: patch.tags }),
      ...(patch.organizationId !== undefined && { organization_id: patch.organizationId }),
      ...(patch.requesterId !== undefined && { requester_id: patch.requesterId }),
      ...(patch.mergedIntoId !== undefined && { merged_into_id: patch.mergedIntoId }),
      ...(patch.solvedAt !== undefined && { solved_at: patch.solvedAt }),
      ...(patch.closedAt !== undefined && { closed_at: patch.closedAt }),
      updated_at: sql<Date>`date_trunc('milliseconds', now())`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTicket(row);
}

export async function touchTicket(executor: Executor, id: string): Promise<void> {
  await executor.updateTable('tickets').set({ updated_at: sql<Date>`date_trunc('milliseconds', now())` }).where('id', '=', id).execute();
}

// Queue views: keyset pagination over the partial indexes on open cases.

export type QueueFilter = {
  openOnly: boolean;
  statuses?: TicketStatus[];
  priorities?: Priority[];
  organizationId?: string;
  requesterId?: string;
  assigneeId?: string | null;
  teamIds?: string[];
  tag?: string;
  product?: string;
  planCode?: string;
  sort: QueueSort;
  limit: number;
  after?: { priority: string; createdAt: string; updatedAt: string; id: string; slaDueAt?: string | null };
};

/** A queue row: the case, and for the SLA-due sort the earliest due time of its running clocks. */
export type QueueTicket = Ticket & { slaDueAt?: string | null };

/** A case in its API shape, built by the database as JSON text: a page costs one column per row to read (toTicket's fields and formats). */
const isoUtc = (column: string) => sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ticketJson = sql<string>`json_build_object(
  'id', tickets.id, 'number', tickets.number, 'subject', tickets.subject, 'status', tickets.status, 'priority', tickets.priority,
  'severity', tickets.severity, 'organizationId', tickets.organization_id, 'requesterId', tickets.requester_id,
  'assigneeId', tickets.assignee_id, 'teamId', tickets.team_id, 'supportLine', tickets.support_line, 'product', tickets.product,
  'tags', tickets.tags, 'channel', tickets.channel, 'environmentVersion', tickets.environment_version,
  'mergedIntoId', tickets.merged_into_id, 'planId', tickets.plan_id, 'isPanic', tickets.is_panic,
  'createdAt', ${isoUtc('tickets.created_at')}, 'updatedAt', ${isoUtc('tickets.updated_at')},
  'solvedAt', ${isoUtc('tickets.solved_at')}, 'closedAt', ${isoUtc('tickets.closed_at')})::text`;

/** Cases carrying the tag. `tags <> '{}'` is the tags index's own condition (untagged cases are not in it, 0016): stated, the index serves the filter. */
export const hasTag = (tag: string) => sql<boolean>`tags @> array[${tag}]::text[] and tags <> '{}'`;

export async function queryQueue(executor: Executor, filter: QueueFilter): Promise<QueueTicket[]> {
  // The filters only; each sort below selects the page's cases as JSON (ticketJson). The open-case
  // condition comes last: the SLA-due sort's first part does without it (see querySlaDue).
  let query = executor.selectFrom('tickets');
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
  if (filter.priorities?.length) query = query.where('priority', 'in', filter.priorities);
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.requesterId) query = query.where('requester_id', '=', filter.requesterId);
  if (filter.assigneeId === null) query = query.where('assignee_id', 'is', null);
  else if (filter.assigneeId) query = query.where('assignee_id', '=', filter.assigneeId);
  if (filter.teamIds) query = query.where('team_id', 'in', filter.teamIds.length ? filter.teamIds : ['00000000-0000-0000-0000-000000000000']);
  if (filter.tag) query = query.where(hasTag(filter.tag));
  if (filter.product) query = query.where('product', '=', filter.product);
  if (filter.planCode) {
    const planCode = filter.planCode;
    query = query.where('organization_id', 'in', (eb) => eb.selectFrom('organizations').select('id').where('plan_code', '=', planCode));
  }
  const after = filter.after;
  if (filter.sort === 'sla-due') return querySlaDue(query, filter.openOnly, filter.limit, after);
  if (filter.openOnly) query = query.where('is_open', '=', true);
  if (filter.sort === 'priority') {
    if (after) query = query.where(sql<boolean>`(priority, created_at, id) > (${after.priority}, ${after.createdAt}::timestamptz, ${after.id}::uuid)`);
    query = query.orderBy('priority').orderBy('created_at').orderBy('id');
  } else if (filter.sort === 'age') {
    if (after) query = query.where(sql<boolean>`(created_at, id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
    query = query.orderBy('created_at').orderBy('id');
  } else {
    if (after) query = query.where(sql<boolean>`(updated_at, id) < (${after.updatedAt}::timestamptz, ${after.id}::uuid)`);
    query = query.orderBy('updated_at', 'desc').orderBy('id', 'desc');
  }
  const rows = await query.select(ticketJson.as('ticket')).limit(filter.limit).execute();
  return rows.map((row) => JSON.parse(row.ticket) as Ticket);
}

type FilteredTickets = SelectQueryBuilder<DatabaseSchema, 'tickets', object>;

/**
 * The SLA-due sort: the open cases with a ticking SLA clock first, soonest due first
 * (`open_sla_due_at`: the earliest due time of the case's running or breached clocks, kept by the
 * SLA recomputation, while the case is open; 0020), then the cases with none by priority and age
 * (the open-case indexes); the second part runs only on the page where the first runs out.
 *
 * The first part walks one partial index on (open_sla_due_at, id) per view (all open, unassigned,
 * per assignee, per team), as the priority views do. It states no `is_open`: a non-null
 * `open_sla_due_at` implies it, and stated, the planner multiplied the two conditions as if
 * independent, under-counted the cases (22 expected, 1,226 found among the unassigned at 100,000)
 * and sorted them all instead of walking the index to the page's end.
 */
async function querySlaDue(filtered: FilteredTickets, openOnly: boolean, limit: number, after: QueueFilter['after']): Promise<QueueTicket[]> {
  const page: QueueTicket[] = [];
  if (!after || after.slaDueAt) {
    let clocked = filtered.where('open_sla_due_at', 'is not', null);
    if (after?.slaDueAt) clocked = clocked.where(sql<boolean>`(open_sla_due_at, id) > (${after.slaDueAt}::timestamptz, ${after.id}::uuid)`);
    const rows = await clocked.select([ticketJson.as('ticket'), 'open_sla_due_at']).orderBy('open_sla_due_at').orderBy('id').limit(limit).execute();
    for (const row of rows) page.push({ ...(JSON.parse(row.ticket) as Ticket), slaDueAt: row.open_sla_due_at!.toISOString() });
  }
  if (page.length === limit) return page;
  let unclocked = filtered.where('open_sla_due_at', 'is', null);
  if (openOnly) unclocked = unclocked.where('is_open', '=', true);
  if (after && !after.slaDueAt) unclocked = unclocked.where(sql<boolean>`(priority, created_at, id) > (${after.priority}, ${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  const rows = await unclocked.select(ticketJson.as('ticket')).orderBy('priority').orderBy('created_at').orderBy('id').limit(limit - page.length).execute();
  for (const row of rows) page.push({ ...(JSON.parse(row.ticket) as Ticket), slaDueAt: null });
  return page;
}

export async function countQueue(executor: Executor, filter: Omit<QueueFilter, 'sort' | 'limit' | 'after'>): Promise<number> {
  let query = executor.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('count'));
  if (filter.openOnly) query = query.where('is_open', '=', true);
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.requesterId) query = query.where('requester_id', '=', filter.requesterId);
  if (filter.assigneeId === null) query = query.where('assignee_id', 'is', null);
  else if (filter.assigneeId) query = query.where('assignee_id', '=', filter.assigneeId);
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

// Messages and attachments.

function toAttachment(row: Selectable<AttachmentsTable>): Attachment {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    messageId: row.message_id,
    filename: row.filename,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at.toISOString(),
  };
}

/** What an emailed message carries beside its body: the folded part, the safe HTML, the raw mail it came from. */
export type MailMessageRecord = { quotedBody: string | null; bodyHtml: string | null; inboundMailId: string | null };

export async function insertMessage(
  executor: Executor,
  record: { id?: string; ticketId: string; authorId: string | null; body: string; internal: boolean; channel: Channel; mail?: MailMessageRecord | undefined },
): Promise<Omit<Message, 'attachments'>> {
  const row = await executor
    .insertInto('messages')
    .values({
      ...(record.id && { id: record.id }),
      ticket_id: record.ticketId,
      author_id: record.authorId,
      body: record.body,
      is_internal: record.internal,
      channel: record.channel,
      ...(record.mail && { quoted_body: record.mail.quotedBody, body_html: record.mail.bodyHtml, inbound_mail_id: record.mail.inboundMailId }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    ticketId: row.ticket_id,
    authorId: row.author_id,
    body: row.body,
    quotedBody: row.quoted_body,
    bodyHtml: row.body_html,
    internal: row.is_internal,
    channel: row.channel as Channel,
    createdAt: row.created_at.toISOString(),
  };
}

/** A message with what it does to its case (addMessagesInTransaction): the ids are chosen by the caller. */
export type NewMessageRecord = {
  id: string;
  ticketId: string;
  authorId: string | null;
  body: string;
  internal: boolean;
  channel: Channel;
  mail?: MailMessageRecord | undefined;
  /** The case's new status (a reply that reopens it clears solved_at), or null to only touch it. */
  nextStatus: TicketStatus | null;
  auditAction: string;
  auditChanges: Record<string, unknown>;
  /** The `ticket.message-added` event's payload. */
  event: Record<string, unknown>;
};

/**
 * Messages on distinct cases in ONE statement: each message, its case moved (status, solved_at) or
 * touched (updated_at), its audit row and its `ticket.message-added` event — what insertMessage,
 * updateTicketRow or touchTicket, recordAudit and enqueueEvent write one by one. A message is dated
 * when it is written, not when its transaction began: messages on one case written in one transaction
 * (one after the other) keep their order in the conversation.
 */
export async function insertMessagesWithEffects(executor: Executor, records: readonly NewMessageRecord[]): Promise<void> {
  const input = records.map((record, ord) => ({
    ord,
    id: record.id,
    ticket_id: record.ticketId,
    author_id: record.authorId,
    body: record.body,
    is_internal: record.internal,
    channel: record.channel,
    quoted_body: record.mail?.quotedBody ?? null,
    body_html: record.mail?.bodyHtml ?? null,
    inbound_mail_id: record.mail?.inboundMailId ?? null,
    next_status: record.nextStatus,
    action: record.auditAction,
    changes: record.auditChanges,
    event: record.event,
  }));
  await sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(
        ord int, id uuid, ticket_id uuid, author_id uuid, body text, is_internal boolean, channel text, quoted_body text,
        body_html text, inbound_mail_id uuid, next_status text, action text, changes jsonb, event jsonb)
    ), added as (
      insert into messages (id, ticket_id, author_id, body, is_internal, channel, quoted_body, body_html, inbound_mail_id, created_at)
      select id, ticket_id, author_id, body, is_internal, channel, quoted_body, body_html, inbound_mail_id, clock_timestamp() from input order by ord
    ), moved as (
      update tickets t set
        status = coalesce(x.next_status, t.status),
        solved_at = case when x.next_status = 'open' then null else t.solved_at end,
        updated_at = date_trunc('milliseconds', now())
      from input x where t.id = x.ticket_id and t.id = any(${sql.val(records.map((record) => record.ticketId))}::uuid[])
    ), audit as (
      insert into audit_events (subject_type, subject_id, ticket_id, actor_id, action, changes)
      select 'ticket', ticket_id, ticket_id, author_id, action, changes from input order by ord
    )
    insert into outbox (topic, payload)
    select 'ticket.message-added', event from input order by ord`.execute(executor);
}

/** Messages of a case and of the cases merged into it, oldest first. */
export async function listMessageRows(executor: Executor, ticketId: string, includeInternal: boolean): Promise<Message[]> {
  let query = executor
    .selectFrom('messages')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('ticket_id', '=', ticketId),
        eb('ticket_id', 'in', eb.selectFrom('tickets').select('id').where('merged_into_id', '=', ticketId)),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id');
  if (!includeInternal) query = query.where('is_internal', '=', false);
  const rows = await query.execute();
  const attachments = rows.length
    ? await executor.selectFrom('attachments').selectAll().where('message_id', 'in', rows.map((row) => row.id)).execute()
    : [];
  return rows.map((row) => ({
    id: row.id,
    ticketId: row.ticket_id,
    authorId: row.author_id,
    body: row.body,
    quotedBody: row.quoted_body,
    bodyHtml: row.body_html,
    internal: row.is_internal,
    channel: row.channel as Channel,
    attachments: attachments.filter((attachment) => attachment.message_id === row.id).map(toAttachment),
    createdAt: row.created_at.toISOString(),
  }));
}

export async function insertAttachment(
  executor: Executor,
  record: { filename: string; contentType: string; size: number; sha256: string; uploadedBy: string | null },
): Promise<Attachment> {
  const row = await executor
    .insertInto('attachments')
    .values({
      ticket_id: null,
      organization_id: null,
      filename: record.filename,
      content_type: record.contentType,
      size: record.size,
      sha256: record.sha256,
      uploaded_by: record.uploadedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAttachment(row);
}

/** Binds files the author uploaded and has not attached yet to a message of a case. */
export async function attachToMessage(
  executor: Executor,
  target: { ticketId: string; organizationId: string; messageId: string; uploaderId: string },
  attachmentIds: string[],
): Promise<Attachment[]> {
  if (attachmentIds.length === 0) return [];
  const rows = await executor
    .updateTable('attachments')
    .set({ message_id: target.messageId, ticket_id: target.ticketId, organization_id: target.organizationId })
    .where('id', 'in', attachmentIds)
    .where('uploaded_by', '=', target.uploaderId)
    .where('message_id', 'is', null)
    .returningAll()
    .execute();
  return rows.map(toAttachment);
}

/** A file a mail carried (already in the file store), bound to the message it arrived with; the id is chosen by the caller (cid: links name it). */
export type MessageFileRecord = { id: string; filename: string; contentType: string; size: number; sha256: string };

export async function insertMessageFiles(
  executor: Executor,
  target: { ticketId: string; organizationId: string; messageId: string; uploaderId: string | null },
  files: readonly MessageFileRecord[],
): Promise<Attachment[]> {
  if (files.length === 0) return [];
  const rows = await executor
    .insertInto('attachments')
    .values(
      files.map((file) => ({
        id: file.id,
        ticket_id: target.ticketId,
        message_id: target.messageId,
        organization_id: target.organizationId,
        filename: file.filename,
        content_type: file.contentType,
        size: file.size,
        sha256: file.sha256,
        uploaded_by: target.uploaderId,
      })),
    )
    .returningAll()
    .execute();
  return rows.map(toAttachment);
}

export async function findAttachment(executor: Executor, id: string): Promise<(Attachment & { uploadedBy: string | null; isInternal: boolean }) | undefined> {
  const row = await executor
    .selectFrom('attachments')
    .leftJoin('messages', 'messages.id', 'attachments.message_id')
    .selectAll('attachments')
    .select('messages.is_internal')
    .where('attachments.id', '=', id)
    .executeTakeFirst();
  return row ? { ...toAttachment(row), uploadedBy: row.uploaded_by, isInternal: row.is_internal ?? false } : undefined;
}

// Links and timeline.

export async function insertLink(
  executor: Executor,
  record: { ticketId: string; kind: LinkKind; targetTicketId: string | null; externalRef: string | null; externalUrl: string | null; createdBy: string | null },
): Promise<TicketLink> {
  const row = await executor
    .insertInto('ticket_links')
    .values({
      ticket_id: record.ticketId,
      kind: record.kind,
      target_ticket_id: record.targetTicketId,
      external_ref: record.externalRef,
      external_url: record.externalUrl,
      created_by: record.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    ticketId: row.ticket_id,
    kind: row.kind as LinkKind,
    targetTicketId: row.target_ticket_id,
    externalRef: row.external_ref,
    externalUrl: row.external_url,
    createdAt: row.created_at.toISOString(),
  };
}

/** Links from or to the case (a link shows on both sides). */
export async function listLinkRows(executor: Executor, ticketId: string): Promise<TicketLink[]> {
  const rows = await executor
    .selectFrom('ticket_links')
    .selectAll()
    .where((eb) => eb.or([eb('ticket_id', '=', ticketId), eb('target_ticket_id', '=', ticketId)]))
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    ticketId: row.ticket_id,
    kind: row.kind as LinkKind,
    targetTicketId: row.target_ticket_id,
    externalRef: row.external_ref,
    externalUrl: row.external_url,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function listTimelineRows(executor: Executor, ticketId: string): Promise<TimelineEntry[]> {
  const rows = await executor.selectFrom('audit_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
  return rows.map((row) => ({
    id: String(row.id),
    action: row.action,
    actorId: row.actor_id,
    changes: row.changes as Record<string, unknown>,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function findUserForTicket(executor: Executor, id: string): Promise<{ id: string; kind: 'agent' | 'contact'; organizationId: string | null; isActive: boolean } | undefined> {
  const row = await executor.selectFrom('users').select(['id', 'kind', 'organization_id', 'is_active']).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id, kind: row.kind, organizationId: row.organization_id, isActive: row.is_active } : undefined;
}

/** The panic button's mark on a case: P1, flagged as a panic, optionally moved (reopened). */
export async function markTicketPanicRow(executor: Executor, id: string, patch: { status?: TicketStatus; solvedAt?: null }): Promise<Ticket> {
  const row = await executor
    .updateTable('tickets')
    .set({
      priority: 'P1',
      is_panic: true,
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.solvedAt !== undefined && { solved_at: patch.solvedAt }),
      updated_at: sql<Date>`date_trunc('milliseconds', now())`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTicket(row);
}
