import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { deriveCaseSlaDue } from '../src/domain/sla/index.ts';
import type { Database } from '../src/platform/db/database.ts';

/**
 * Loads N realistic cases straight into the tickets table, shared by `bench/run.ts` (100k for the
 * queue-read test) and `bench/seed.ts` (any N). Rows are generated inside the database by
 * `INSERT … SELECT … FROM generate_series` in batches, each batch one statement in its own
 * transaction, so the client sends a few bytes per batch and the database does the work.
 *
 * The referenced organisations, agents, contacts and teams are created first (plain SQL, tagged with
 * a run id so a second load into the same database does not collide). The spread: ~85% solved or
 * closed over the past year, ~15% open (new, open, pending-*, on-hold) mostly from the last weeks;
 * P1 3%, P2 17%, P3 55%, P4 25%; organisations skewed (a few large customers); open cases mostly
 * assigned, new ones mostly not; open cases of organisations on a plan carry SLA clocks. Timestamps are truncated to milliseconds like the app's defaults
 * (queue cursors depend on it). Each case gets its first message unless `withMessages` is false.
 */
export type BulkLoadOptions = {
  cases: number;
  batchSize?: number;
  /** Concurrent batches (PostgreSQL only; PGlite has one connection). */
  parallel?: number;
  organizations?: number;
  agents?: number;
  contactsPerOrganization?: number;
  teams?: number;
  /** Existing agents (e.g. the benchmark's token holder) to include in the assignee pool. */
  extraAgentIds?: string[];
  withMessages?: boolean;
  onProgress?: (done: number, total: number) => void;
};

export type BulkLoadResult = {
  cases: number;
  seconds: number;
  casesPerSecond: number;
  organizations: number;
  agents: number;
  contacts: number;
  teams: number;
  withMessages: boolean;
};

const arrayLiteral = (ids: string[]) => `{${ids.join(',')}}`;
const SUBJECTS = ['Login fails after SSO change', 'Export to CSV times out', 'Invoice shows the wrong VAT', 'Mobile app crashes on start', 'API returns 502 intermittently', 'Password reset e-mail never arrives', 'Report totals do not match', 'Webhook deliveries delayed'];
const BODY =
  'Hello support team, since this morning several of our users see the problem described in the subject. ' +
  'Steps to reproduce: sign in, open the dashboard, wait a few seconds. Expected: the page loads. Actual: an error. ' +
  'We are on the production environment, no change on our side. Could you have a look? Thanks, the customer.';

type References = { organizations: string[]; contacts: string[]; contactsPerOrganization: number; agents: string[]; teams: string[] };

async function createReferences(database: Database, options: Required<Pick<BulkLoadOptions, 'organizations' | 'agents' | 'contactsPerOrganization' | 'teams'>>): Promise<References> {
  const db = database.db;
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const organizations = (
    await sql<{ id: string }>`
      insert into organizations (name, plan_code, shares_cases)
      select 'Bulk ' || ${tag}::text || ' customer ' || i,
             case when i % 10 = 0 then 'premium' when i % 3 = 0 then 'standard' else null end,
             i % 4 = 0
      from generate_series(1, ${options.organizations}::int) as i
      returning id`.execute(db)
  ).rows.map((row) => row.id);
  const k = options.contactsPerOrganization;
  await sql`
    insert into users (email, name, kind, roles, organization_id)
    select 'bulk-' || ${tag}::text || '-o' || u.ord || '-c' || j || '@customer.test', 'Contact ' || u.ord || '.' || j, 'contact', '{customer}', u.org
    from unnest(${arrayLiteral(organizations)}::uuid[]) with ordinality as u(org, ord), generate_series(1, ${k}::int) as j`.execute(db);
  const contactRows = (
    await sql<{ id: string; organization_id: string }>`
      select id, organization_id from users where email like ${`bulk-${tag}-o%`} order by id`.execute(db)
  ).rows;
  const byOrganization = new Map<string, string[]>();
  for (const row of contactRows) byOrganization.set(row.organization_id, [...(byOrganization.get(row.organization_id) ?? []), row.id]);
  const contacts = organizations.flatMap((id) => byOrganization.get(id) ?? []);
  if (contacts.length !== organizations.length * k) throw new Error('bulk load: contacts were not created as expected');
  const agents = (
    await sql<{ id: string }>`
      insert into users (email, name, kind, roles, support_line)
      select 'bulk-' || ${tag}::text || '-a' || i || '@casebook.test', 'Agent ' || i, 'agent', '{agent}', (array['L1','L2','L3'])[1 + i % 3]
      from generate_series(1, ${options.agents}::int) as i
      returning id`.execute(db)
  ).rows.map((row) => row.id);
  const teams = (
    await sql<{ id: string }>`
      insert into teams (name) select 'Bulk ' || ${tag}::text || ' team ' || i from generate_series(1, ${options.teams}::int) as i returning id`.execute(db)
  ).rows.map((row) => row.id);
  return { organizations, contacts, contactsPerOrganization: k, agents, teams };
}

/** One batch: cases [from, to] generated and inserted by the database in one statement. */
async function insertBatch(database: Database, refs: References, from: number, to: number, withMessages: boolean): Promise<void> {
  const generate = sql`
    refs as materialized (
      select ${arrayLiteral(refs.organizations)}::uuid[] as orgs, ${arrayLiteral(refs.contacts)}::uuid[] as contacts,
             ${arrayLiteral(refs.agents)}::uuid[] as agents, ${arrayLiteral(refs.teams)}::uuid[] as teams,
             ${SUBJECTS.join('|')}::text as subjects
    ),
    src as (
      select g, random() as r_status, random() as r_age, random() as r_prio, random() as r_assign, random() as r_agent,
             random() as r_team, random() as r_tag, random() as r_chan, random() as r_resolve,
             floor(power(random(), 2) * ${refs.organizations.length}::int)::int as org,
             floor(random() * ${refs.contactsPerOrganization}::int)::int as contact
      from generate_series(${from}::int, ${to}::int) as g
    ),
    shaped as (
      select *,
        case when r_status < 0.60 then 'closed' when r_status < 0.85 then 'solved' when r_status < 0.88 then 'new'
             when r_status < 0.95 then 'open' when r_status < 0.98 then 'pending-customer'
             when r_status < 0.99 then 'pending-vendor' else 'on-hold' end as status,
        case when r_prio < 0.03 then 'P1' when r_prio < 0.20 then 'P2' when r_prio < 0.75 then 'P3' else 'P4' end as priority
      from src
    ),
    timed as (
      select *,
        date_trunc('milliseconds', now() - case when status in ('solved', 'closed') then r_age * interval '365 days'
                                                 else power(r_age, 3) * interval '120 days' end) as created
      from shaped
    ),
    resolved as (
      select *,
        case when status in ('solved', 'closed') then least(date_trunc('milliseconds', now()), date_trunc('milliseconds', created + power(r_resolve, 2) * interval '14 days')) end as solved
      from timed
    ),
    final as (
      select g, status, priority, created, solved,
        case when status = 'closed' then least(date_trunc('milliseconds', now()), solved + interval '3 days') end as closed,
        case when status = 'closed' then least(date_trunc('milliseconds', now()), solved + interval '3 days')
             when status = 'solved' then solved
             else date_trunc('milliseconds', created + (now() - created) * r_resolve) end as updated,
        refs.orgs[1 + org] as organization_id,
        refs.contacts[1 + org * ${refs.contactsPerOrganization}::int + contact] as requester_id,
        case when status = 'new' and r_assign < 0.85 then null
             when status not in ('solved', 'closed') and r_assign < 0.08 then null
             else refs.agents[1 + floor(r_agent * array_length(refs.agents, 1))::int] end as assignee_id,
        case when r_team < 0.7 then refs.teams[1 + floor(r_team / 0.7 * array_length(refs.teams, 1))::int] end as team_id,
        (array['L1', 'L2', 'L3'])[1 + floor(r_chan * 3)::int] as support_line,
        case when r_tag < 0.45 then '{}' when r_tag < 0.65 then '{billing}' when r_tag < 0.80 then '{login}'
             when r_tag < 0.90 then '{performance,regression}' else '{integration}' end::text[] as tags,
        (array['email', 'email', 'portal', 'portal', 'api', 'phone', 'chat'])[1 + floor(r_chan * 7)::int] as channel,
        (array['Core', 'Reports', 'Mobile', 'API', 'Integrations'])[1 + g % 5] as product,
        'Case ' || g || ': ' || split_part(refs.subjects, '|', 1 + (g * 7) % ${SUBJECTS.length}::int) as subject
      from resolved, refs
    ),
    inserted as (
      insert into tickets (subject, requester_id, organization_id, product, priority, severity, status, assignee_id, team_id,
                           support_line, tags, channel, created_at, updated_at, solved_at, closed_at)
      select subject, requester_id, organization_id, product, priority,
             case priority when 'P1' then 'S1' when 'P2' then 'S2' else null end,
             status, assignee_id, team_id, support_line, tags, channel, created, updated, solved, closed
      from final
      returning id, requester_id, channel, created_at
    )`;
  const statement = withMessages
    ? sql`with ${generate} insert into messages (ticket_id, author_id, body, is_internal, channel, created_at)
          select id, requester_id, ${BODY}::text, false, channel, created_at from inserted`
    : sql`with ${generate} select count(*) from inserted`;
  await statement.execute(database.db);
}

export async function bulkLoad(database: Database, options: BulkLoadOptions): Promise<BulkLoadResult> {
  const settings = {
    organizations: options.organizations ?? 200,
    agents: options.agents ?? 30,
    contactsPerOrganization: options.contactsPerOrganization ?? 3,
    teams: options.teams ?? 6,
  };
  const batchSize = options.batchSize ?? 5000;
  const parallel = database.engine === 'pglite' ? 1 : Math.max(1, options.parallel ?? 2);
  const withMessages = options.withMessages ?? true;
  const started = performance.now();
  const refs = await createReferences(database, settings);
  refs.agents.push(...(options.extraAgentIds ?? []));
  let nextStart = 1;
  let done = 0;
  options.onProgress?.(0, options.cases);
  const lane = async () => {
    while (nextStart <= options.cases) {
      const from = nextStart;
      const to = Math.min(options.cases, from + batchSize - 1);
      nextStart = to + 1;
      await insertBatch(database, refs, from, to, withMessages);
      done += to - from + 1;
      options.onProgress?.(done, options.cases);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  await insertSlaClocks(database);
  const seconds = (performance.now() - started) / 1000;
  return {
    cases: options.cases,
    seconds,
    casesPerSecond: options.cases / seconds,
    organizations: refs.organizations.length,
    agents: refs.agents.length,
    contacts: refs.contacts.length,
    teams: refs.teams.length,
    withMessages,
  };
}

/**
 * SLA clocks for the open cases of organisations on a plan (what the SLA handler would have left):
 * first response running on new cases and met on the others, resolution running (paused while
 * waiting on the customer or on hold), due within 0.5–1.5 times the target after creation.
 */
async function insertSlaClocks(database: Database): Promise<void> {
  await sql`
    insert into sla_clocks (ticket_id, kind, state, target_seconds, started_at, due_at, stopped_at)
    select t.id, k.kind, s.state, k.target, t.created_at,
           date_trunc('milliseconds', t.created_at + make_interval(secs => k.target * (0.5 + random()))),
           case when s.state = 'met' then t.updated_at end
    from tickets t
    join organizations o on o.id = t.organization_id and o.plan_code is not null
    cross join (values ('first-response', 14400), ('resolution', 172800)) as k(kind, target)
    cross join lateral (
      select case when k.kind = 'first-response' then (case when t.status = 'new' then 'running' else 'met' end)
                  when t.status in ('pending-customer', 'on-hold') then 'paused' else 'running' end as state
    ) s
    where t.is_open and not exists (select from sla_clocks c where c.ticket_id = t.id)`.execute(database.db);
  // The cases' earliest ticking due time, which the recomputation would have set with the clocks.
  await deriveCaseSlaDue(database.db);
}

/** Refreshes planner statistics and the visibility map after a load (what autovacuum would do). */
export async function analyzeAfterLoad(database: Database): Promise<void> {
  await sql`vacuum (analyze) tickets, messages, users, organizations, sla_clocks`.execute(database.db);
}
