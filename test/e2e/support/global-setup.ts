import type { TestProject } from 'vitest/node';
import { cleanupAll, makeTempDir, startServer } from '../../cli/cli-harness.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    casebookUrl: string;
  }
}

/** The first admin of the journeys' server (created at its first start from CASEBOOK_ADMIN_*). */
export const E2E_ADMIN = { email: 'admin@casebook.test', password: 'admin-e2e-password-2026' };

/**
 * One real Casebook for the browser journeys: `node bin/casebook.js start` (which builds web/dist
 * when stale) on a temp data dir and a free port, with the demo workspace. Ended by PID at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer([], { env: { CASEBOOK_DATA_DIR: makeTempDir('casebook-e2e-'), CASEBOOK_COOKIE_SECURE: '1', HOST: '127.0.0.1', CASEBOOK_ADMIN_EMAIL: E2E_ADMIN.email, CASEBOOK_ADMIN_PASSWORD: E2E_ADMIN.password } });
  project.provide('casebookUrl', server.url);
  return () => cleanupAll();
}
