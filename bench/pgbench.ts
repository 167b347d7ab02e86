import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { PostgresServer } from '../test/support/postgres-server.ts';
import { percentile } from './load.ts';

/**
 * The physical baseline: `pgbench` (same binaries as the server) running a custom script of one
 * single-row INSERT per transaction into a plain table, in its own database on the same server.
 * TPS comes from pgbench's summary; p50/p99 from its per-transaction log (`-l`).
 */
export type PgbenchResult = { clients: number; threads: number; tps: number; transactions: number; meanMs: number; p50: number; p99: number };
export type PgbenchOptions = { database?: string; script?: string; protocol?: 'simple' | 'extended' | 'prepared' };

const DATABASE = 'rawbench';
const RAW_INSERT = "insert into bench_raw (subject) values ('Printer on fire in building 4');\n";

export async function prepareRawTable(server: PostgresServer): Promise<void> {
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  try {
    await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: server.url(DATABASE) });
  await client.connect();
  try {
    await client.query('create table bench_raw (id bigserial primary key, subject text, created_at timestamptz default now())');
  } finally {
    await client.end();
  }
}

/** Runs pgbench; by default the one-row INSERT into rawbench.bench_raw (simple protocol). */
export async function runPgbench(server: PostgresServer, clients: number, threads: number, seconds: number, options: PgbenchOptions = {}): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-pgbench-'));
  try {
    const script = join(dir, 'script.sql');
    writeFileSync(script, options.script ?? RAW_INSERT);
    const args = ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'casebook', '-n', '-M', options.protocol ?? 'simple', '-f', script];
    args.push('-c', String(clients), '-j', String(threads), '-T', String(seconds), '-l', `--log-prefix=${join(dir, 'txlog')}`, options.database ?? DATABASE);
    const output = await new Promise<string>((resolveRun, reject) => {
      const child = spawn(join(server.binDir, 'pgbench'), args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolveRun(text) : reject(new Error(`pgbench exited with ${code}:\n${text}`))));
    });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? Number.NaN);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? Number.NaN);
    const latencies: number[] = [];
    for (const file of readdirSync(dir).filter((name) => name.startsWith('txlog'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        const fields = line.split(' ');
        if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000); // µs → ms
      }
    }
    const sorted = Float64Array.from(latencies).sort();
    const meanMs = latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length);
    if (!Number.isFinite(tps)) throw new Error(`could not read pgbench output:\n${output}`);
    return { clients, threads, tps, transactions, meanMs, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
