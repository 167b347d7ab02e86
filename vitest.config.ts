import { defineConfig } from 'vitest/config';
import { hasDovecot } from './test/support/dovecot-server.ts';
import { findPostgresBinDir } from './test/support/postgres-server.ts';

const hasPostgres = findPostgresBinDir() !== undefined;
if (!hasPostgres) {
  if (process.env.CI === 'true') throw new Error('CI=true but no PostgreSQL binaries found under /usr/lib/postgresql/*/bin: the PostgreSQL run is required in CI.');
  console.warn('\n!!! No PostgreSQL binaries found (/usr/lib/postgresql/*/bin): the PostgreSQL half of the suite is NOT run. Install postgresql to run it. !!!\n');
}

const IMAP_TESTS = 'test/integration/mail-imap.test.ts';
const isDovecotMissing = !hasDovecot();
if (isDovecotMissing) {
  if (process.env.CI === 'true') throw new Error('CI=true but no Dovecot IMAP server (/usr/sbin/dovecot, /usr/lib/dovecot/imap): the IMAP tests are required in CI (apt-get install dovecot-imapd).');
  console.warn(`\n!!! No Dovecot IMAP server (/usr/sbin/dovecot, /usr/lib/dovecot/imap): ${IMAP_TESTS} is NOT run. Install dovecot-imapd to run it. !!!\n`);
}

const integration = ['test/integration/**/*.test.ts'];
/** Left out of a run only where the real IMAP server cannot start (never under CI=true). */
const integrationExclude = isDovecotMissing ? [IMAP_TESTS] : [];

/**
 * Pure unit tests beside the code; the same integration suite twice — on the embedded PGlite
 * and on a real PostgreSQL server the suite starts itself —; and CLI journeys in child processes.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'] } },
      { test: { name: 'pglite', include: integration, exclude: integrationExclude, env: { CASEBOOK_TEST_ENGINE: 'pglite' } } },
      // The CLI and server as a user runs them: child processes on temp data dirs and free ports.
      { test: { name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      // Browser journeys: a real server (child process) driven by Debian's Chromium through playwright-core.
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/support/global-setup.ts'], testTimeout: 180_000, hookTimeout: 180_000 } },
      ...(hasPostgres
        ? [{ test: { name: 'postgres', include: integration, exclude: integrationExclude, env: { CASEBOOK_TEST_ENGINE: 'postgres' }, globalSetup: ['test/support/postgres-global-setup.ts'] } }]
        : []),
    ],
  },
});
