import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin, listUsers, SYSTEM_ACTOR } from '../../src/domain/identity/index.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createTestDatabase } from '../support/test-database.ts';

describe('first admin', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('two nodes starting together on one database create exactly one admin, and neither fails', async () => {
    const results = await Promise.all([
      ensureFirstAdmin(database.db, 'root@casebook.test', undefined),
      ensureFirstAdmin(database.db, 'root@casebook.test', undefined),
      ensureFirstAdmin(database.db, 'root@casebook.test', undefined),
    ]);
    const created = results.filter((result) => result !== null);
    expect(created).toHaveLength(1);
    expect(created[0]!.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const admins = (await listUsers(database.db, SYSTEM_ACTOR, {})).items.filter((user) => user.roles.includes('admin'));
    expect(admins.map((user) => user.email)).toEqual(['root@casebook.test']);
    expect(await ensureFirstAdmin(database.db, 'root@casebook.test', undefined)).toBeNull();
  });
});
