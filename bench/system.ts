import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Machine facts and CPU accounting (Linux /proc) for the benchmark report. */
export type MachineInfo = { cpuModel: string; cores: number; ramGiB: number; node: string; kernel: string };

export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1]!.trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  let kernel = 'unknown';
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    // not Linux
  }
  return { cpuModel, cores: cpus().length, ramGiB: totalmem() / 1024 ** 3, node: process.version, kernel };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Busy and idle jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** CPU jiffies (user + system) of every process whose command is `postgres` (server and backends). */
function postgresTicks(): number {
  let sum = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      if (comm !== 'postgres') continue;
      const rest = stat.slice(close + 2).split(' ');
      sum += Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14 and 15)
    } catch {
      // the process went away
    }
  }
  return sum;
}

export type CpuSnapshot = { at: number; machine: { busy: number; total: number }; postgres: number; process: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization> };

export function cpuSnapshot(): CpuSnapshot {
  return { at: performance.now(), machine: machineTicks(), postgres: postgresTicks(), process: process.cpuUsage(), elu: performance.eventLoopUtilization() };
}

export type CpuDelta = {
  /** Share of both cores busy during the phase (0–1). */
  machineBusy: number;
  /** CPU seconds used by the PostgreSQL processes. */
  postgresSeconds: number;
  /** CPU seconds used by this Node process (server thread, load worker, GC, libuv pool). */
  processSeconds: number;
  /** Event-loop utilisation of the main (server) thread. */
  serverElu: number;
};

export function cpuSince(before: CpuSnapshot): CpuDelta {
  const after = cpuSnapshot();
  const total = after.machine.total - before.machine.total;
  const usage = process.cpuUsage(before.process);
  return {
    machineBusy: total > 0 ? (after.machine.busy - before.machine.busy) / total : Number.NaN,
    postgresSeconds: (after.postgres - before.postgres) / TICKS_PER_SECOND,
    processSeconds: (usage.user + usage.system) / 1e6,
    serverElu: performance.eventLoopUtilization(after.elu, before.elu).utilization,
  };
}

/** A one-line progress bar on stderr: bar, percentage, count, rate and ETA (no dependency). */
export function progressBar(label: string, total: number): { update(done: number): void; finish(done: number): void } {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastPrinted = -1;
  const render = (done: number, final: boolean) => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const fraction = total > 0 ? done / total : 1;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const text = `${label} [${bar}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${Math.round(rate).toLocaleString('en')} rows/s  ${final ? `in ${clock(elapsed)}` : `ETA ${clock(eta)}`}`;
    if (tty) process.stderr.write(`\r${text}\x1b[K${final ? '\n' : ''}`);
    else {
      const decile = Math.floor(fraction * 10);
      if (final || decile > lastPrinted) {
        lastPrinted = decile;
        process.stderr.write(`${text}\n`);
      }
    }
  };
  return { update: (done) => render(done, false), finish: (done) => render(done, true) };
}

function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, '0')}`;
}
