import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import { createTeam, SYSTEM_ACTOR, type User } from '../../src/domain/identity/index.ts';
import { deriveCaseSlaDue } from '../../src/domain/sla/index.ts';
import { hasTag, type QueueFilter } from '../../src/domain/tickets/tickets.repo.ts';
import { queueSql } from '../support/queue-sql.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

describe('cases through the API', () => {
  let t: TestApp;
  let org: Organization;
  let agent: User;
  let contact: User;
  let agentToken: string;
  let contactToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    org = await make.organization({ planCode: 'premium' });
    agent = await make.agent({ supportLine: 'L2', senior: true });
    contact = await make.contact(org.id);
    agentToken = await make.token(agent);
    contactToken = await make.token(contact);
  });
  afterAll(() => t.close());

  /** EXPLAIN of a statement with sequential scans priced out: an index shows up if the statement can use it at all. */
  const planWithoutSeqScans = (compiled: CompiledQuery) =>
    t.database.db.transaction().execute(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      const explained = await tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
      return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
    });

  it('a customer opens a case with a first message; it gets a sequential number and the API shape', async () => {
    const first = await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Map server down', body: 'Since 9:00 nothing loads.', priority: 'P1' });
    expect(first.statusCode).toBe(201);
    const ticket = first.json();
    expect(ticket).toMatchObject({ subject: 'Map server down', status: 'new', priority: 'P1', organizationId: org.id, requesterId: contact.id, assigneeId: null, channel: 'portal' });
    for (const field of ['id', 'number', 'createdAt', 'updatedAt']) expect(ticket[field]).toBeTruthy();
    const second = (await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Another' })).json();
    expect(second.number).toBe(ticket.number + 1);
    const messages = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ body: 'Since 9:00 nothing loads.', internal: false, authorId: contact.id });
  });

  it('a retried create with the same Idempotency-Key returns the first case, never a second one', async () => {
    const body = { subject: 'Retry me', requesterId: contact.id };
    const headers = { 'idempotency-key': 'create-42' };
    const first = await call(t.app, agentToken, 'POST', '/api/v1/tickets', body, headers);
    const retry = await call(t.app, agentToken, 'POST', '/api/v1/tickets', body, headers);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    const list = (await call(t.app, agentToken, 'GET', `/api/v1/tickets?view=all&requesterId=${contact.id}&limit=200`)).json().items;
    expect(list.filter((item: { subject: string }) => item.subject === 'Retry me')).toHaveLength(1);
    const reused = await call(t.app, agentToken, 'POST', '/api/v1/tickets', { ...body, subject: 'Different' }, headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('status follows the state machine; an illegal move is a 409 with a stable code and the allowed moves', async () => {
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'State machine', requesterId: contact.id })).json();
    const toSolved = await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'solved' });
    expect(toSolved.json()).toMatchObject({ status: 'solved' });
    expect(toSolved.json().solvedAt).toBeTruthy();
    const toHold = await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'on-hold' });
    expect(toHold.statusCode).toBe(409);
    expect(toHold.json()).toMatchObject({ code: 'TICKET_TRANSITION_INVALID', details: { from: 'solved', to: 'on-hold', allowed: ['open', 'closed'] } });
    expect((await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'closed' })).statusCode).toBe(200);
    const reopen = await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' });
    expect(reopen.json().code).toBe('TICKET_TRANSITION_INVALID');
    const reply = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'late' });
    expect(reply.json().code).toBe('TICKET_CLOSED');
  });

  it('assignment, priority and tags are audited with before/after on the timeline', async () => {
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Audit me', requesterId: contact.id, priority: 'P3' })).json();
    const patched = await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { assigneeId: agent.id, priority: 'P2', tags: ['Upgrade', 'upgrade', 'gis'] });
    expect(patched.json()).toMatchObject({ assigneeId: agent.id, priority: 'P2', status: 'open', tags: ['upgrade', 'gis'] });
    const timeline = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}/timeline`)).json().items;
    expect(timeline.map((entry: { action: string }) => entry.action)).toEqual(['ticket.created', 'ticket.updated']);
    expect(timeline[1]).toMatchObject({ actorId: agent.id, changes: { priority: { before: 'P3', after: 'P2' }, assigneeId: { before: null, after: agent.id } } });
    const badAssignee = await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { assigneeId: contact.id });
    expect(badAssignee.statusCode).toBe(422);
    expect(badAssignee.json().code).toBe('TICKET_ASSIGNEE_INVALID');
  });

  it('replies move the case: agent reply opens a new case, customer reply reopens pending-customer', async () => {
    const ticket = (await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Replies', body: 'help' })).json();
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Looking', internal: false });
    expect((await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json().status).toBe('open');
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending-customer' });
    const customerReply = await call(t.app, contactToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Here are the logs' });
    expect(customerReply.statusCode).toBe(201);
    expect((await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json().status).toBe('open');
  });

  it('internal notes are kept from customers, in messages and on the timeline', async () => {
    const ticket = (await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Notes', body: 'hi' })).json();
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'SECRET: customer is on an unsupported version', internal: true });
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'We are checking.' });
    const asCustomer = (await call(t.app, contactToken, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(asCustomer.map((message: { body: string }) => message.body)).toEqual(['hi', 'We are checking.']);
    const asAgent = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(asAgent).toHaveLength(3);
    const timeline = JSON.stringify((await call(t.app, contactToken, 'GET', `/api/v1/tickets/${ticket.id}/timeline`)).json());
    expect(timeline).not.toContain('note.added');
    const customerNote = await call(t.app, contactToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'x', internal: true });
    expect(customerNote.statusCode).toBe(403);
    expect(customerNote.json().code).toBe('MESSAGE_INTERNAL_FORBIDDEN');
  });

  it('links a related case and an upstream vendor case; both show on the case', async () => {
    const a = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Link A', requesterId: contact.id })).json();
    const b = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Link B', requesterId: contact.id })).json();
    expect((await call(t.app, agentToken, 'POST', `/api/v1/tickets/${a.id}/links`, { kind: 'related', targetId: b.id })).statusCode).toBe(201);
    const upstream = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${a.id}/links`, { kind: 'upstream-vendor', externalRef: 'ESRI-#04123', externalUrl: 'https://vendor.example/cases/04123' });
    expect(upstream.json()).toMatchObject({ kind: 'upstream-vendor', externalRef: 'ESRI-#04123' });
    const invalid = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${a.id}/links`, { kind: 'upstream-vendor' });
    expect(invalid.json().code).toBe('TICKET_LINK_INVALID');
    const fromB = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${b.id}/links`)).json().items;
    expect(fromB).toHaveLength(1);
    expect(fromB[0]).toMatchObject({ kind: 'related', ticketId: a.id, targetTicketId: b.id });
  });

  it('merges a duplicate: the source closes and points at the target, whose conversation shows both', async () => {
    const target = (await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Target', body: 'first report' })).json();
    const source = (await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Dup', body: 'second report' })).json();
    const merged = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${source.id}/merge`, { targetId: target.id });
    expect(merged.statusCode).toBe(200);
    const sourceAfter = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${source.id}`)).json();
    expect(sourceAfter).toMatchObject({ status: 'closed', mergedIntoId: target.id });
    const bodies = (await call(t.app, contactToken, 'GET', `/api/v1/tickets/${target.id}/messages`)).json().items.map((message: { body: string }) => message.body);
    expect(bodies).toEqual(['first report', 'second report']);
    const again = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${source.id}/merge`, { targetId: target.id });
    expect(again.json().code).toBe('TICKET_MERGE_INVALID');
    const otherOrg = await factories(t.database).organization();
    const otherContact = await factories(t.database).contact(otherOrg.id);
    const foreign = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Foreign', requesterId: otherContact.id })).json();
    expect((await call(t.app, agentToken, 'POST', `/api/v1/tickets/${foreign.id}/merge`, { targetId: target.id })).json().code).toBe('TICKET_MERGE_INVALID');
  });

  it('queue views page by cursor in priority then age order without gaps or repeats', async () => {
    const make = factories(t.database);
    const queueOrg = await make.organization();
    const requester = await make.contact(queueOrg.id);
    const priorities = ['P3', 'P1', 'P4', 'P2', 'P1', 'P3', 'P2'];
    for (const [index, priority] of priorities.entries()) {
      await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: `Q${index}`, requesterId: requester.id, priority });
    }
    const seen: { subject: string; priority: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { subject: string; priority: string }[]; nextCursor: string | null } = (
        await call(t.app, agentToken, 'GET', `/api/v1/tickets?organizationId=${queueOrg.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((item) => item.subject)).toEqual(['Q1', 'Q4', 'Q3', 'Q6', 'Q0', 'Q5', 'Q2']);
    const badCursor = await call(t.app, agentToken, 'GET', '/api/v1/tickets?cursor=garbage');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().code).toBe('CURSOR_INVALID');
    const unassigned = (await call(t.app, agentToken, 'GET', `/api/v1/tickets?view=unassigned&organizationId=${queueOrg.id}`)).json().items;
    expect(unassigned).toHaveLength(7);
    const premium = (await call(t.app, agentToken, 'GET', `/api/v1/tickets?view=premium&organizationId=${queueOrg.id}`)).json().items;
    expect(premium).toHaveLength(0);
  });

  it('a case reads the same in a queue page as on its own, whatever its fields (tags, team, solved, merged)', async () => {
    const make = factories(t.database);
    const queueOrg = await make.organization();
    const requester = await make.contact(queueOrg.id);
    const team = await createTeam(t.database.db, SYSTEM_ACTOR, { name: `Shape team ${Date.now()}` });
    const post = async (body: Record<string, unknown>) => (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { requesterId: requester.id, ...body })).json() as { id: string };
    const full = await post({ subject: 'Shape: every field', priority: 'P1', severity: 'S1', product: 'Reports', tags: ['billing', 'vip'], teamId: team.id, assigneeId: agent.id, supportLine: 'L2', body: 'x' });
    const solved = await post({ subject: 'Shape: solved', assigneeId: agent.id });
    expect((await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${solved.id}`, { status: 'solved' })).statusCode).toBe(200);
    const source = await post({ subject: 'Shape: merged away' });
    expect((await call(t.app, agentToken, 'POST', `/api/v1/tickets/${source.id}/merge`, { targetId: full.id })).statusCode).toBe(200);
    const page = (await call(t.app, agentToken, 'GET', `/api/v1/tickets?view=all&organizationId=${queueOrg.id}&sort=age`)).json() as { items: Array<{ id: string }> };
    expect(page.items.map((item) => item.id)).toEqual([full.id, solved.id, source.id]);
    for (const item of page.items) expect(item).toEqual((await call(t.app, agentToken, 'GET', `/api/v1/tickets/${item.id}`)).json());
    // The SLA-due sort builds its page with other statements: the same shape.
    await t.database.db.insertInto('sla_clocks').values({ ticket_id: full.id, kind: 'resolution', state: 'running', target_seconds: 3600, started_at: new Date(), due_at: new Date(Date.now() + 3_600_000), stopped_at: null, next_check_at: null }).execute();
    await deriveCaseSlaDue(t.database.db, [full.id]);
    const slaPage = (await call(t.app, agentToken, 'GET', `/api/v1/tickets?view=all&organizationId=${queueOrg.id}&sort=sla-due`)).json() as { items: Array<{ id: string }> };
    expect(slaPage.items.map((item) => item.id)).toEqual([full.id, solved.id, source.id]);
    slaPage.items.forEach((item, index) => expect(item).toEqual(page.items[index]));
    expect(page.items[0]).toMatchObject({ tags: ['billing', 'vip'], teamId: team.id, severity: 'S1', isPanic: false });
    expect(page.items[1]).toMatchObject({ status: 'solved', solvedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(page.items[2]).toMatchObject({ status: 'closed', mergedIntoId: full.id });
  });

  it('sorts a queue by the soonest due time of a ticking SLA clock (running or breached), pages by cursor, and puts cases with no ticking clock last, by priority', async () => {
    const make = factories(t.database);
    const queueOrg = await make.organization();
    const requester = await make.contact(queueOrg.id);
    const hour = 3_600_000;
    const now = Date.now();
    // Per case: the clocks [state, due in hours]; only running and breached clocks count, the earliest wins.
    const plans: [string, ['running' | 'paused' | 'met' | 'breached', number][]][] = [
      ['late', [['running', 5], ['running', 9]]],
      ['breached', [['breached', -1], ['running', 7]]],
      ['soonest', [['running', 1], ['met', -3]]],
      ['paused only', [['paused', 0.5]]],
      ['no clock', []],
      ['middle', [['running', 3]]],
      ['overdue', [['running', -2]]],
    ];
    for (const [subject, clocks] of plans) {
      const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject, requesterId: requester.id, priority: subject === 'no clock' ? 'P4' : 'P2' })).json();
      for (const [index, [state, hours]] of clocks.entries()) {
        await t.database.db
          .insertInto('sla_clocks')
          .values({ ticket_id: ticket.id, kind: index === 0 ? 'first-response' : 'resolution', state, target_seconds: 3600, started_at: new Date(now - hour), due_at: new Date(now + hours * hour), stopped_at: null, next_check_at: null })
          .execute();
      }
      // What the SLA recomputation keeps on the case with its clocks (clocks written here directly).
      await deriveCaseSlaDue(t.database.db, [ticket.id]);
    }
    // Another organisation's case, due before all of them: the filter keeps it out of both parts.
    const elsewhere = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'other organisation', requesterId: contact.id, priority: 'P1' })).json();
    await t.database.db
      .insertInto('sla_clocks')
      .values({ ticket_id: elsewhere.id, kind: 'first-response', state: 'running', target_seconds: 3600, started_at: new Date(now - hour), due_at: new Date(now - 10 * hour), stopped_at: null, next_check_at: null })
      .execute();
    await deriveCaseSlaDue(t.database.db, [elsewhere.id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await call(t.app, agentToken, 'GET', `/api/v1/tickets?organizationId=${queueOrg.id}&sort=sla-due&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: { subject: string }[]; nextCursor: string | null };
      expect(page.items[0]).not.toHaveProperty('slaDueAt');
      seen.push(...page.items.map((item) => item.subject));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 5)).toEqual(['overdue', 'breached', 'soonest', 'middle', 'late']);
    // Cases with no running clock follow by priority then age.
    expect(seen.slice(5)).toEqual(['paused only', 'no clock']);
    // One case per page crosses every boundary, inside each part and between them: the same order.
    const onePerPage: string[] = [];
    cursor = null;
    do {
      const page = (await call(t.app, agentToken, 'GET', `/api/v1/tickets?organizationId=${queueOrg.id}&sort=sla-due&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: { subject: string }[]; nextCursor: string | null };
      onePerPage.push(...page.items.map((item) => item.subject));
      cursor = page.nextCursor;
    } while (cursor);
    expect(onePerPage).toEqual(seen);

    // A solved case leaves the open view at once, before any SLA recomputation clears its due time
    // (none runs here: these cases have no plan); in the view of all cases it has no ticking clock
    // and comes among those without one, by priority then age (P2, opened after 'paused only').
    const middle = (await call(t.app, agentToken, 'GET', `/api/v1/tickets?organizationId=${queueOrg.id}&sort=priority&limit=100`)).json().items.find((item: { subject: string }) => item.subject === 'middle');
    expect((await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${middle.id}`, { status: 'solved' })).statusCode).toBe(200);
    const subjects = async (view: string) =>
      ((await call(t.app, agentToken, 'GET', `/api/v1/tickets?view=${view}&organizationId=${queueOrg.id}&sort=sla-due&limit=100`)).json().items as { subject: string }[]).map((item) => item.subject);
    expect(await subjects('all-open')).toEqual(['overdue', 'breached', 'soonest', 'late', 'paused only', 'no clock']);
    expect(await subjects('all')).toEqual(['overdue', 'breached', 'soonest', 'late', 'paused only', 'middle', 'no clock']);
  });

  it('the tag filter lists exactly the cases carrying the tag, and its condition lets the tags index (tagged cases only) serve it', async () => {
    const open = async (subject: string, tags?: string[]) =>
      (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject, requesterId: contact.id, ...(tags && { tags }) })).json().id as string;
    const both = await open('Tagged: vip and billing', ['vip-tag-filter', 'billing']);
    const vipOnly = await open('Tagged: vip', ['VIP-tag-filter']);
    const billingOnly = await open('Tagged: billing', ['billing']);
    const untagged = await open('Not tagged');
    const page = (await call(t.app, agentToken, 'GET', '/api/v1/tickets?view=all-open&tag=vip-tag-filter&limit=100')).json();
    const ids = page.items.map((item: { id: string }) => item.id);
    expect(ids.sort()).toEqual([both, vipOnly].sort());
    for (const other of [billingOnly, untagged]) expect(ids).not.toContain(other);

    // With sequential scans priced out, the planner picks the partial index only if the filter implies its condition.
    const plan = await planWithoutSeqScans(t.database.db.selectFrom('tickets').select('id').where(hasTag('vip-tag-filter')).compile());
    expect(plan).toContain('tickets_tags_idx');
  });

  it('each queue view can use its own partial index (assignee and team indexes hold only cases that have one)', async () => {
    const team = await createTeam(t.database.db, SYSTEM_ACTOR, { name: 'Plan check team' });
    const views: Array<[string, QueueFilter, string]> = [
      ['all-open', { openOnly: true, sort: 'priority', limit: 51 }, 'tickets_open_queue_idx'],
      ['unassigned', { openOnly: true, assigneeId: null, sort: 'priority', limit: 51 }, 'tickets_open_unassigned_idx'],
      ['mine', { openOnly: true, assigneeId: agent.id, sort: 'priority', limit: 51 }, 'tickets_open_assignee_idx'],
      ['team', { openOnly: true, teamIds: [team.id], sort: 'priority', limit: 51 }, 'tickets_open_team_idx'],
      ['all-open, SLA due first', { openOnly: true, sort: 'sla-due', limit: 51 }, 'tickets_open_sla_due_idx'],
      ['unassigned, SLA due first', { openOnly: true, assigneeId: null, sort: 'sla-due', limit: 51 }, 'tickets_open_unassigned_sla_due_idx'],
      ['mine, SLA due first', { openOnly: true, assigneeId: agent.id, sort: 'sla-due', limit: 51 }, 'tickets_open_assignee_sla_due_idx'],
      ['team, SLA due first', { openOnly: true, teamIds: [team.id], sort: 'sla-due', limit: 51 }, 'tickets_open_team_sla_due_idx'],
    ];
    // Statistics as autovacuum keeps them: few cases have a ticking SLA clock, so few enter the SLA-due indexes.
    await sql`analyze tickets`.execute(t.database.db);
    for (const [view, filter, index] of views) {
      expect(await planWithoutSeqScans(await queueSql(filter)), view).toContain(index);
    }
  });
});
