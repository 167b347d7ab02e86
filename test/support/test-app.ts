import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createOrganization, type CreateOrganizationInput, type Organization } from '../../src/domain/accounts/index.ts';
import { createApiToken, createUser, SYSTEM_ACTOR, type Actor, type CreateUserInput, type User } from '../../src/domain/identity/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createFileStore, type FileStore } from '../../src/platform/file-store.ts';
import { createRealtimeHub, type RealtimeHub } from '../../src/platform/realtime.ts';
import { createTestDatabase } from './test-database.ts';

export type TestApp = {
  app: FastifyInstance & { routesWithoutPolicy: string[] };
  database: Database;
  files: FileStore;
  config: Config;
  realtime: RealtimeHub;
  dataDir: string;
  close(): Promise<void>;
};

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'casebook-test-'));
  const config = { ...loadConfig(env), dataDir, maxAttachmentBytes: 64 * 1024, logLevel: 'silent' as const };
  const files = createFileStore(join(dataDir, 'files'));
  const realtime = createRealtimeHub(database);
  await realtime.start();
  const app = await buildApp({ config, database, files, realtime });
  return {
    app,
    database,
    files,
    config,
    realtime,
    dataDir,
    async close() {
      await app.close();
      await realtime.stop();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

export function actorOf(user: User): Actor {
  return {
    userId: user.id,
    kind: user.kind,
    roles: user.roles,
    organizationId: user.organizationId,
    senior: user.senior,
    name: user.name,
    email: user.email,
    locale: user.locale,
  };
}

/** Factories: real rows through the real use cases. */
export function factories(database: Database) {
  const db = database.db;
  return {
    organization: (input: Partial<CreateOrganizationInput> = {}): Promise<Organization> => createOrganization(db, SYSTEM_ACTOR, { name: unique('Org'), ...input }),
    agent: (input: Partial<CreateUserInput> = {}): Promise<User> =>
      createUser(db, SYSTEM_ACTOR, { email: `${unique('agent')}@casebook.test`, name: 'Agent', roles: ['agent'], ...input }),
    admin: (): Promise<User> => createUser(db, SYSTEM_ACTOR, { email: `${unique('admin')}@casebook.test`, name: 'Admin', roles: ['admin', 'agent'], password: 'correct horse battery' }),
    contact: (organizationId: string, input: Partial<CreateUserInput> = {}): Promise<User> =>
      createUser(db, SYSTEM_ACTOR, { email: `${unique('contact')}@customer.test`, name: 'Contact', roles: ['customer'], organizationId, ...input }),
    token: async (user: User): Promise<string> => (await createApiToken(db, SYSTEM_ACTOR, user.email)).token,
  };
}

/** app.inject with a bearer token and JSON body. */
export function call(app: FastifyInstance, token: string | null, method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}
