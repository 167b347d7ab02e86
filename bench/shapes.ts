import { hashSecretToken } from '../src/domain/identity/secret-token.ts';
import type { Casebook } from './casebook.ts';

/**
 * Diagnostic: Casebook's case-creation path replayed as pgbench scripts against the Casebook
 * database, with no Node in the way. It separates what the SQL shape costs from what the HTTP/Node
 * layer costs:
 *   - "ceiling": a bare one-row INSERT into tickets, the schema's own limit per commit (its indexes
 *     and foreign keys make each row far costlier than pgbench's bench_raw row);
 *   - "previous design": what one POST /api/v1/tickets sent until 2026-11-23 (token lookup, BEGIN,
 *     requester lookup, environment version, ticket, message, audit, outbox, COMMIT: 11 statements,
 *     unnamed extended protocol) plus the realtime NOTIFY and processed mark every event gets;
 *   - "one case per statement": today's write for a lone request — one INSERT … data-modifying-CTE
 *     statement that checks the requester itself (ticket, message, audit, outbox), no BEGIN/COMMIT,
 *     prepared statements (the app names its statements, see src/platform/db/prepared-client.ts);
 *   - "8 cases per statement": the same when 8 requests arrive together and are grouped (group
 *     commit, src/platform/group-commit.ts): one statement for 8 cases.
 * The outbox handlers' work (routing, subscriptions, SLA: see the calibration table) is left out.
 */
export type Shape = { name: string; statementsPerCase: number; commitsPerCase: number; casesPerTransaction: number; protocol: 'extended' | 'prepared'; script: string };

export function createShapes(app: Casebook): Shape[] {
  const ids = { token: hashSecretToken(app.token), contact: app.contactId, organization: app.organizationId, agent: app.agentId };
  const auth =
    'select users.id, users.kind, users.roles, users.organization_id, users.is_senior, users.name, users.email, users.locale ' +
    `from api_tokens inner join users on users.id = api_tokens.user_id where api_tokens.token_hash = '${ids.token}' and api_tokens.revoked_at is null and users.is_active = true;`;
  const transaction = [
    auth,
    'begin;',
    `select id, kind, organization_id, is_active from users where id = '${ids.contact}';`,
    `select max(version) as version from environment_profiles where organization_id = '${ids.organization}';`,
    'insert into tickets (subject, requester_id, organization_id, product, priority, severity, status, assignee_id, team_id, support_line, tags, channel, environment_version) ' +
      `values ('Bench case: export to CSV times out', '${ids.contact}', '${ids.organization}', null, 'P3', null, 'new', null, null, null, '{}', 'api', null) returning * \\gset t_`,
    `insert into messages (ticket_id, author_id, body, is_internal, channel) values (:t_id, '${ids.contact}', 'Since this morning the nightly export fails.', false, 'api') returning *;`,
    `insert into audit_events (subject_type, subject_id, ticket_id, actor_id, action, changes) values ('ticket', :t_id, :t_id, '${ids.agent}', 'ticket.created', '{"status":"new"}');`,
    `insert into outbox (topic, payload) values ('ticket.created', '{"status":"new"}') returning id \\gset o_`,
    'commit;',
  ];
  const perEventOutbox = [`select pg_notify('casebook_bench', '{"topic":"ticket.created"}');`, 'update outbox set processed_at = now(), locked_until = null where id = :o_id;'];
  // Today's write: one statement for `count` cases that checks the requester itself (generate_series stands for the JSON array).
  const grouped = (count: number) => [
    `with input as (select g, '${ids.contact}'::uuid as requester_id, null::uuid as organization_id from generate_series(1, ${count}) g), ` +
      'checked as (select i.*, coalesce(i.organization_id, r.organization_id) as org, ' +
      "case when r.id is null or not r.is_active then 'requester' end as refused from input i left join users r on r.id = i.requester_id), " +
      'ticket as (insert into tickets (subject, requester_id, organization_id, priority, status, tags, channel, environment_version) ' +
      "select 'Bench case: export to CSV times out', requester_id, org, 'P3', 'new', '{}', 'api', " +
      '(select max(version) from environment_profiles e where e.organization_id = checked.org) from checked where refused is null returning *), ' +
      "message as (insert into messages (ticket_id, author_id, body, is_internal, channel) select id, requester_id, 'Since this morning the nightly export fails.', false, 'api' from ticket), " +
      `audit as (insert into audit_events (subject_type, subject_id, ticket_id, actor_id, action, changes) select 'ticket', id, id, '${ids.agent}', 'ticket.created', '{"status":"new"}' from ticket), ` +
      "event as (insert into outbox (topic, payload) select 'ticket.created', jsonb_build_object('ticketId', id, 'number', number) from ticket) " +
      'select count(*) from ticket;',
  ];
  const ticketOnly =
    'insert into tickets (subject, requester_id, organization_id, priority, status, tags, channel) ' +
    `values ('Bench case: export to CSV times out', '${ids.contact}', '${ids.organization}', 'P3', 'new', '{}', 'api');`;
  return [
    { name: 'ceiling: one INSERT into tickets alone (with all its indexes), nothing else', statementsPerCase: 1, commitsPerCase: 1, casesPerTransaction: 1, protocol: 'extended', script: `${ticketOnly}\n` },
    { name: 'previous design: 11 statements per case + NOTIFY and mark per event', statementsPerCase: 11, commitsPerCase: 3, casesPerTransaction: 1, protocol: 'extended', script: [...transaction, ...perEventOutbox].join('\n') + '\n' },
    { name: 'today, one case per statement (prepared)', statementsPerCase: 1, commitsPerCase: 1, casesPerTransaction: 1, protocol: 'prepared', script: grouped(1).join('\n') + '\n' },
    { name: 'today, 8 cases grouped per statement (prepared)', statementsPerCase: 0.125, commitsPerCase: 0.125, casesPerTransaction: 8, protocol: 'prepared', script: grouped(8).join('\n') + '\n' },
  ];
}
