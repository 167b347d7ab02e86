import type { Config } from '../platform/config.ts';
import type { Database } from '../platform/db/database.ts';
import type { FileStore } from '../platform/file-store.ts';
import type { RealtimeHub } from '../platform/realtime.ts';
import type { Actor } from '../domain/identity/index.ts';

/** What route handlers reach: built once in main.ts (or a test) and passed to buildApp(). */
export type AppServices = {
  config: Config;
  database: Database;
  files: FileStore;
  realtime: RealtimeHub;
  /** Runs a CLI command inside this process (CLI commands against a running embedded server). */
  controlToken?: string;
  runControlCommand?: (argv: string[], cwd: string, write: (line: string) => void) => Promise<number>;
};

/** Who may call a route. Every route declares one; a route without one is closed. */
export type RoutePolicy = 'public' | 'authenticated' | 'agent' | 'admin' | 'control';

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
  interface FastifyRequest {
    actor: Actor | null;
    authMethod: 'token' | 'session' | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}
