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

type ProcStat = { pid: number; ppid: number; comm: string; ticks: number };

function readProc(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const rest = stat.slice(close + 2).split(' ');
    return {
      pid: Number(pid),
      ppid: Number(rest[1]),
      comm: stat.slice(stat.indexOf('(') + 1, close),
      ticks: Number(rest[11]) + Number(rest[12]), // utime + stime (fields 14 and 15)
    };
  } catch {
    return undefined; // the process went away
  }
}

function findPostmaster(port: number): number | undefined {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readProc(entry)?.comm !== 'postgres') continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const flag = args.indexOf('-p');
      if (flag >= 0 && args[flag + 1] === String(port)) return Number(entry);
    } catch {
      // the process went away
    }
  }
  return undefined;
}

/** CPU jiffies per process of one PostgreSQL server: its postmaster and every child (backends, walwriter…). */
function postgresTicks(postmaster: number | undefined): Map<number, number> {
  const ticks = new Map<number, number>();
  if (!postmaster) return ticks;
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = readProc(entry);
    if (stat && (stat.pid === postmaster || stat.ppid === postmaster)) ticks.set(stat.pid, stat.ticks);
  }
  return ticks;
}

/** CPU jiffies of this process's children that have exited and been reaped (pgbench). */
function childrenTicks(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[13]) + Number(rest[14]); // cutime + cstime (fields 16 and 17)
  } catch {
    return 0;
  }
}

export type CpuDelta = {
  /** Share of all cores busy during the phase (0–1). */
  machineBusy: number;
  /** CPU seconds used by the benchmark's PostgreSQL server processes. */
  postgresSeconds: number;
  /** CPU seconds used by this Node process (server thread, load worker, GC, libuv pool). */
  processSeconds: number;
  /** CPU seconds of reaped child processes (pgbench). */
  childrenSeconds: number;
  /** CPU seconds used by everything else on the machine (other users' jobs): noise in the figures. */
  otherSeconds: number;
  /** Wall-clock seconds of the phase. */
  wallSeconds: number;
  /** Event-loop utilisation of the main (server) thread. */
  serverElu: number;
};

/**
 * Starts accounting CPU for a phase. The benchmark's PostgreSQL processes are sampled every 250 ms
 * so backends that exit before the end (pgbench's) still count, up to their last sample.
 */
export function trackCpu(postgresPort?: number): { stop(): CpuDelta } {
  const postmaster = postgresPort ? findPostmaster(postgresPort) : undefined;
  const base = postgresTicks(postmaster);
  const last = new Map(base);
  const sample = () => {
    for (const [pid, ticks] of postgresTicks(postmaster)) last.set(pid, ticks);
  };
  const timer = postmaster ? setInterval(sample, 250) : undefined;
  const machine = machineTicks();
  const children = childrenTicks();
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  return {
    stop() {
      if (timer) clearInterval(timer);
      sample();
      const machineAfter = machineTicks();
      const total = machineAfter.total - machine.total;
      const busySeconds = (machineAfter.busy - machine.busy) / TICKS_PER_SECOND;
      let postgresJiffies = 0;
      for (const [pid, ticks] of last) postgresJiffies += ticks - (base.get(pid) ?? 0);
      const postgresSeconds = postgresJiffies / TICKS_PER_SECOND;
      const childrenSeconds = (childrenTicks() - children) / TICKS_PER_SECOND;
      const usage = process.cpuUsage(cpu);
      const processSeconds = (usage.user + usage.system) / 1e6;
      const loop = performance.eventLoopUtilization(elu);
      return {
        machineBusy: total > 0 ? (machineAfter.busy - machine.busy) / total : Number.NaN,
        postgresSeconds,
        processSeconds,
        childrenSeconds,
        otherSeconds: Math.max(0, busySeconds - postgresSeconds - processSeconds - childrenSeconds),
        wallSeconds: (loop.idle + loop.active) / 1000,
        serverElu: loop.utilization,
      };
    },
  };
}

/**
 * Waits (up to maxSeconds) until processes outside the benchmark use less than `threshold` cores,
 * measured over 1 s windows. Returns the last measured outside load, in cores.
 */
export async function waitForQuiet(maxSeconds: number, threshold = 0.3, postgresPort?: number): Promise<number> {
  const deadline = performance.now() + maxSeconds * 1000;
  for (;;) {
    const tracker = trackCpu(postgresPort);
    await new Promise((wait) => setTimeout(wait, 1000));
    const delta = tracker.stop();
    const other = delta.otherSeconds / delta.wallSeconds;
    if (other < threshold || performance.now() >= deadline) return other;
  }
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
