import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { purgeProcessedEvents } from '../../src/platform/outbox/purge.ts';
import { createTestDatabase } from '../support/test-database.ts';

describe('the outbox purge', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('deletes processed events older than the retention, in batches, and keeps recent, pending and dead ones', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const rows = [
      { label: 'old 1', processed_at: daysAgo(10), dead_at: null },
      { label: 'old 2', processed_at: daysAgo(8), dead_at: null },
      { label: 'old 3', processed_at: daysAgo(30), dead_at: null },
      { label: 'recent', processed_at: daysAgo(1), dead_at: null },
      { label: 'pending', processed_at: null, dead_at: null },
      { label: 'dead', processed_at: null, dead_at: daysAgo(30) },
    ];
    await database.db
      .insertInto('outbox')
      .values(rows.map(({ label, processed_at, dead_at }) => ({ topic: 'ticket.updated', payload: JSON.stringify({ label }), created_at: daysAgo(40), available_at: daysAgo(40), processed_at, dead_at })))
      .execute();

    // Batches of 2: three old events take two statements.
    expect(await purgeProcessedEvents(database.db, { retentionDays: 7, batchSize: 2 })).toBe(3);
    const left = await database.db.selectFrom('outbox').select('payload').orderBy('id').execute();
    expect(left.map((row) => (row.payload as { label: string }).label)).toEqual(['recent', 'pending', 'dead']);
    expect(await purgeProcessedEvents(database.db, { retentionDays: 7 })).toBe(0);
    // A retention shorter than its age reaches the recent one; pending and dead events stay whatever their age.
    expect(await purgeProcessedEvents(database.db, { retentionDays: 2 })).toBe(0);
    expect(await purgeProcessedEvents(database.db, { retentionDays: 1 })).toBe(1);
    expect(await database.db.selectFrom('outbox').select('id').execute()).toHaveLength(2);
  });
});
