import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WEB_DIR = join(ROOT, 'web');
const DIST_DIR = join(WEB_DIR, 'dist');
const STAMP_FILE = '.build-stamp';
/** What the bundle is made of: the app, and the pure server modules it imports (the case state machine). */
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', '../src/domain/tickets/ticket-status.ts'];

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A hash of the web app's sources: the build is stale when it differs from the stamp in web/dist. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  const files = INPUTS.flatMap((input) => {
    const path = join(WEB_DIR, input);
    if (!existsSync(path)) return [];
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  }).sort();
  for (const file of files) hash.update(relative(WEB_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function readStamp(): string | undefined {
  try {
    return readFileSync(join(DIST_DIR, STAMP_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Builds web/dist with Vite when it is missing or older than web/src (npm start calls this).
 * The build goes to a temp directory and is swapped in, so concurrent starts never see half a build.
 */
export function ensureWebBuild(write: (line: string) => void): void {
  if (!existsSync(join(WEB_DIR, 'src'))) return; // a packaged install ships web/dist only
  const wanted = webSourceHash();
  if (readStamp() === wanted && existsSync(join(DIST_DIR, 'index.html'))) return;
  write('building the web app (web/dist)…');
  const viteBin = join(resolve(createRequire(import.meta.url).resolve('vite/package.json'), '..'), 'bin', 'vite.js');
  const temp = join(WEB_DIR, `.dist-${process.pid}-${Date.now()}`);
  const result = spawnSync(process.execPath, [viteBin, 'build', '--config', join(WEB_DIR, 'vite.config.ts'), '--outDir', temp, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' }, // a test runner's NODE_ENV=test would give React's development build
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    rmSync(temp, { recursive: true, force: true });
    throw new Error(`The web app build failed (exit ${result.status ?? result.signal}); run \`npm run web:build\` to see why.`);
  }
  writeFileSync(join(temp, STAMP_FILE), `${wanted}\n`);
  if (readStamp() === wanted) {
    rmSync(temp, { recursive: true, force: true }); // another start built the same sources meanwhile
    return;
  }
  const old = `${DIST_DIR}.old-${process.pid}-${Date.now()}`;
  if (existsSync(DIST_DIR)) renameSync(DIST_DIR, old);
  renameSync(temp, DIST_DIR);
  rmSync(old, { recursive: true, force: true });
}
