import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoAssignHandler, autoAssignTicket } from '../../src/domain/routing/index.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { startOutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { testEngine } from '../support/test-database.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { BOTH_OPEN, routingWorld, type RoutingWorld } from './routing-world.ts';

/** Several app nodes assigning at once: the team_routing row lock keeps rotation and caps exact. */
describe('routing under concurrency', () => {
  let t: TestApp;
  let w: RoutingWorld;
  let secondNode: Database;

  beforeAll(async () => {
    t = await createTestApp();
    w = await routingWorld(t);
    // A second "app node": its own pool on PostgreSQL; the same embedded instance on PGlite.
    const url = (t.database as Database & { url?: string }).url;
    secondNode = testEngine === 'postgres' && url ? await openDatabase({ databaseUrl: url, poolSize: 10 }) : t.database;
  });
  afterAll(async () => {
    if (secondNode !== t.database) await secondNode.close();
    await t.close();
  });

  const countByAssignee = async (ticketIds: string[]) => {
    const rows = await w.db.selectFrom('tickets').select(['assignee_id']).where('id', 'in', ticketIds).execute();
    const counts = new Map<string | null, number>();
    for (const row of rows) counts.set(row.assignee_id, (counts.get(row.assignee_id) ?? 0) + 1);
    return counts;
  };

  it('20 cases routed concurrently with round-robin over 4 agents: 5 each', async () => {
    const { team, agents } = await w.team([{}, {}, {}, {}], 'round-robin');
    const tickets = await Promise.all(Array.from({ length: 20 }, () => w.openCase({ teamId: team.id })));
    const outcomes = await Promise.all(tickets.map((ticket, index) => autoAssignTicket((index % 2 ? secondNode : t.database).db, ticket.id, { now: BOTH_OPEN })));
    expect(outcomes.every((outcome) => outcome.outcome === 'assigned')).toBe(true);
    const counts = await countByAssignee(tickets.map((ticket) => ticket.id));
    expect(Object.fromEntries(agents.map((agent) => [agent.id, counts.get(agent.id)]))).toEqual(Object.fromEntries(agents.map((agent) => [agent.id, 5])));
    // The rotation was strict: in commit order the assignees cycle through the ring.
    const audit = await w.db
      .selectFrom('audit_events')
      .select(['changes'])
      .where('action', '=', 'ticket.auto-assigned')
      .where('ticket_id', 'in', tickets.map((ticket) => ticket.id))
      .orderBy('id')
      .execute();
    const sequence = audit.map((row) => (row.changes as { assigneeId: { after: string } }).assigneeId.after);
    const ring = agents.map((agent) => agent.id);
    sequence.forEach((assigneeId, index) => expect(assigneeId).toBe(ring[(ring.indexOf(sequence[0]!) + index) % ring.length]));
  });

  it('two outbox processors (two app nodes) route 20 cases opened concurrently through the API: 5 each', async () => {
    const { team, agents } = await w.team([{}, {}, {}, {}], 'round-robin');
    const processors = [t.database, secondNode].map((database) => startOutboxProcessor(database, [autoAssignHandler(database, { now: () => BOTH_OPEN })], { pollIntervalMs: 20, batchSize: 3 }));
    try {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) => call(t.app, w.dispatcherToken, 'POST', '/api/v1/tickets', { subject: `Concurrent ${index}`, requesterId: w.contact.id, teamId: team.id })),
      );
      expect(responses.every((response) => response.statusCode === 201)).toBe(true);
      const ids = responses.map((response) => response.json().id as string);
      const deadline = Date.now() + 20_000;
      while ((await countByAssignee(ids)).get(null) !== undefined && Date.now() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      const counts = await countByAssignee(ids);
      expect(agents.map((agent) => counts.get(agent.id))).toEqual([5, 5, 5, 5]);
    } finally {
      await Promise.all(processors.map((processor) => processor.stop()));
    }
  });

  it('least-loaded under concurrency never exceeds an agent cap', async () => {
    const { team, agents } = await w.team([{ maxOpenCases: 5 }, { maxOpenCases: 5 }, { maxOpenCases: 5 }, { maxOpenCases: 5 }], 'least-loaded');
    const tickets = await Promise.all(Array.from({ length: 24 }, () => w.openCase({ teamId: team.id })));
    const outcomes = await Promise.all(tickets.map((ticket, index) => autoAssignTicket((index % 2 ? secondNode : t.database).db, ticket.id, { now: BOTH_OPEN })));
    expect(outcomes.filter((outcome) => outcome.outcome === 'assigned')).toHaveLength(20);
    expect(outcomes.filter((outcome) => outcome.outcome === 'left-unassigned')).toHaveLength(4);
    const counts = await countByAssignee(tickets.map((ticket) => ticket.id));
    expect(agents.map((agent) => counts.get(agent.id))).toEqual([5, 5, 5, 5]);
    expect(counts.get(null)).toBe(4);
  });
});
