import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * Closed-loop HTTP load generator. It runs in its own worker thread (own event loop, own core) so
 * the Casebook server on the main thread is not slowed by the client: N virtual users each send a
 * request on a keep-alive connection, wait for the whole response, record the latency, repeat.
 * `http.request` over `http.Agent({ keepAlive })` with pre-encoded bodies keeps the client cheap;
 * the worker reports its own CPU time and event-loop utilisation so a reader can check that.
 */
export type LoadSpec = {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Request bodies used round-robin (POST). */
  bodies?: string[];
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  expectStatus: number;
};

export type LoadResult = {
  requests: number;
  errors: number;
  firstErrors: string[];
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** CPU time of the load-generator thread per request, in µs. */
  clientCpuUsPerRequest: number;
  /** Event-loop utilisation of the load-generator thread (1 = saturated). */
  clientElu: number;
};

export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

type WorkerMessage = { type: 'measuring' } | { type: 'result'; result: LoadResult };

/**
 * Runs one load phase in a fresh worker thread and resolves with its figures. `onMeasuring` fires
 * when the warm-up ends and the measured window starts (for server-side counters).
 */
export function runLoad(spec: LoadSpec, onMeasuring?: () => void): Promise<LoadResult> {
  return new Promise((resolveLoad, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: spec });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'measuring') return onMeasuring?.();
      settled = true;
      resolveLoad(message.result);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`load worker exited with code ${code} before reporting`));
    });
  });
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency, maxFreeSockets: spec.concurrency });
  const bodies = (spec.bodies ?? []).map((body) => Buffer.from(body));
  const baseHeaders: Record<string, string> = { ...spec.headers };
  if (bodies.length) baseHeaders['content-type'] = 'application/json';
  const latencies: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  let next = 0;

  const once = (body: Buffer | undefined): Promise<{ status: number; text: string }> =>
    new Promise((resolveOnce, rejectOnce) => {
      const headers = body ? { ...baseHeaders, 'content-length': String(body.length) } : baseHeaders;
      const request = http.request({ agent, host: target.hostname, port: target.port, method: spec.method, path: spec.path, headers }, (response) => {
        const status = response.statusCode ?? 0;
        let text = '';
        response.on('data', (chunk: Buffer) => {
          if (status !== spec.expectStatus && text.length < 500) text += chunk.toString();
        });
        response.on('end', () => resolveOnce({ status, text }));
        response.on('error', rejectOnce);
      });
      request.on('error', rejectOnce);
      request.end(body);
    });

  const startedAt = performance.now();
  const measureFrom = startedAt + spec.warmupSeconds * 1000;
  const measureUntil = measureFrom + spec.seconds * 1000;
  let cpuAtStart = process.threadCpuUsage();
  let eluAtStart = performance.eventLoopUtilization();
  let marked = false;

  async function user(): Promise<void> {
    for (;;) {
      const begin = performance.now();
      if (begin >= measureUntil) return;
      if (!marked && begin >= measureFrom) {
        marked = true;
        cpuAtStart = process.threadCpuUsage();
        eluAtStart = performance.eventLoopUtilization();
        parentPort?.postMessage({ type: 'measuring' } satisfies WorkerMessage);
      }
      const body = bodies.length ? bodies[next++ % bodies.length] : undefined;
      let failure: string | undefined;
      try {
        const { status, text } = await once(body);
        if (status !== spec.expectStatus) failure = `${status} ${text.slice(0, 300)}`;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (begin < measureFrom) continue;
      if (failure) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(failure);
        continue;
      }
      latencies.push(performance.now() - begin);
    }
  }

  await Promise.all(Array.from({ length: spec.concurrency }, () => user()));
  const cpu = process.threadCpuUsage(cpuAtStart);
  const elu = performance.eventLoopUtilization(eluAtStart);
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const total = latencies.reduce((sum, value) => sum + value, 0);
  return {
    requests: latencies.length,
    errors,
    firstErrors,
    seconds: spec.seconds,
    perSecond: latencies.length / spec.seconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: latencies.length ? total / latencies.length : Number.NaN,
    clientCpuUsPerRequest: latencies.length ? (cpu.user + cpu.system) / (latencies.length + errors) : Number.NaN,
    clientElu: elu.utilization,
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  generate(workerData as LoadSpec).then(
    (result) => port.postMessage({ type: 'result', result } satisfies WorkerMessage),
    (error: unknown) => {
      throw error;
    },
  );
}
