import { hashSecretToken } from '../src/domain/identity/secret-token.ts';
import type { Casebook } from './casebook.ts';

/**
 * Diagnostic: Casebook's case-creation path replayed as pgbench scripts against the Casebook
 * database (extended protocol with unnamed statements, like node-postgres), with no Node in the
 * way. It separates what the SQL shape costs from what the HTTP/Node layer costs, and measures
 * what two changes to the shape would gain:
 *   - "today": what one POST /api/v1/tickets sends (token lookup, BEGIN, requester lookup,
 *     environment version, ticket, message, audit, outbox, COMMIT), then the part of the outbox
 *     processor's work that every event gets whatever the handlers are (the realtime pg_notify,
 *     then UPDATE processed_at — two more commits); the routing, subscription and SLA handlers
 *     (another ~23 statements and 2 commits per case, see the calibration table) are left out;
 *   - the same with server-side prepared statements (what statement caching in the driver gives);
 *   - "batched outbox": the same request, the processor marking and notifying 50 events in one
 *     transaction (as the only change);
 *   - "ceiling": a bare one-row INSERT into tickets, the schema's own limit (its indexes make each
 *     row's WAL far larger than pgbench's bench_raw row);
 *   - "one-statement create": the request as one INSERT … data-modifying-CTE statement (requester
 *     check, environment version, ticket, message, audit and outbox in one round trip and commit),
 *     plus the batched outbox.
 * The processor's work runs inside each pgbench client here (in the app it is one sequential loop),
 * so "today" is optimistic.
 */
export type Shape = { name: string; statementsPerCase: number; commitsPerCase: number; protocol: 'extended' | 'prepared'; script: string };

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
  // One batch of 50 events per 50 cases: one NOTIFY carrying the batch and one UPDATE, in one transaction.
  const pending = 'select id from outbox where processed_at is null and dead_at is null order by id limit 50 for update skip locked';
  const batchedOutbox = [
    '\\set b random(1, 50)',
    '\\if :b = 1',
    'begin;',
    `with done as (update outbox set processed_at = now(), locked_until = null where id in (${pending}) returning id) select coalesce(string_agg(id::text, ','), '') as ids from done \\gset batch_`,
    "select pg_notify('casebook_bench', :batch_ids);",
    'commit;',
    '\\endif',
  ];
  const oneStatement =
    `with requester as (select id, organization_id from users where id = '${ids.contact}' and is_active and organization_id = '${ids.organization}'), ` +
    'ticket as (insert into tickets (subject, requester_id, organization_id, priority, status, tags, channel, environment_version) ' +
    "select 'Bench case: export to CSV times out', requester.id, requester.organization_id, 'P3', 'new', '{}', 'api', " +
    '(select max(version) from environment_profiles where organization_id = requester.organization_id) from requester returning *), ' +
    "message as (insert into messages (ticket_id, author_id, body, is_internal, channel) select id, requester_id, 'Since this morning the nightly export fails.', false, 'api' from ticket returning id), " +
    `audit as (insert into audit_events (subject_type, subject_id, ticket_id, actor_id, action, changes) select 'ticket', id, id, '${ids.agent}', 'ticket.created', '{"status":"new"}' from ticket), ` +
    "event as (insert into outbox (topic, payload) select 'ticket.created', json_build_object('ticketId', id) from ticket) " +
    'select ticket.*, message.id as message_id from ticket, message;';
  const ticketOnly =
    'insert into tickets (subject, requester_id, organization_id, priority, status, tags, channel) ' +
    `values ('Bench case: export to CSV times out', '${ids.contact}', '${ids.organization}', 'P3', 'new', '{}', 'api');`;
  return [
    { name: 'ceiling: one INSERT into tickets alone (with all its indexes), nothing else', statementsPerCase: 1, commitsPerCase: 1, protocol: 'extended', script: `${ticketOnly}\n` },
    { name: 'today: request + realtime NOTIFY + mark processed, per event', statementsPerCase: 11, commitsPerCase: 3, protocol: 'extended', script: [...transaction, ...perEventOutbox].join('\n') + '\n' },
    { name: 'same, prepared statements (pgbench -M prepared)', statementsPerCase: 11, commitsPerCase: 3, protocol: 'prepared', script: [...transaction, ...perEventOutbox].join('\n') + '\n' },
    { name: 'request + outbox marked and notified per batch of 50', statementsPerCase: 9.08, commitsPerCase: 1.02, protocol: 'extended', script: [...transaction, ...batchedOutbox].join('\n') + '\n' },
    { name: 'one-statement create + batched outbox', statementsPerCase: 2.08, commitsPerCase: 1.02, protocol: 'extended', script: [auth, oneStatement, ...batchedOutbox].join('\n') + '\n' },
  ];
}
