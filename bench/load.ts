import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * Closed-loop HTTP load generator. It runs in its own worker thread (own event loop, own core) so
 * the Casebook server on the main thread is not slowed by the client: N virtual users each send a
 * request on a keep-alive connection, wait for the whole response, record the latency, repeat.
 * Pre-encoded requests on raw keep-alive sockets (RawConnection) keep the client cheap;
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

/**
 * One keep-alive HTTP/1.1 connection that writes pre-encoded requests and reads just enough of each
 * response (status line, Content-Length or chunked body): a load generator as lean as pgbench's
 * client, so the benchmark measures the server and not Node's HTTP client (`http.request` over an
 * Agent cost ~170 µs of CPU per request on this machine, a fifth of a case's whole cost).
 */
class RawConnection {
  #socket: net.Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #host: string;
  readonly #port: number;
  #waiting: { resolve: (value: { status: number; text: string }) => void; reject: (error: Error) => void } | undefined;

  constructor(host: string, port: number) {
    this.#host = host;
    this.#port = port;
  }

  request(bytes: Buffer): Promise<{ status: number; text: string }> {
    if (this.#waiting) return Promise.reject(new Error('one request at a time per connection'));
    const socket = this.#socket ?? this.#open();
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      socket.write(bytes);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #open(): net.Socket {
    const socket = net.connect({ host: this.#host, port: this.#port, noDelay: true });
    this.#socket = socket;
    this.#buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      this.#parse();
    });
    const fail = (error: Error) => {
      if (this.#socket === socket) this.#socket = undefined;
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
    return socket;
  }

  #parse(): void {
    const buffer = this.#buffer;
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd < 0 || !this.#waiting) return;
    const head = buffer.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    let bodyStart = headEnd + 4;
    let body: Buffer;
    let end: number;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length) {
      end = bodyStart + Number(length[1]);
      if (buffer.length < end) return;
      body = buffer.subarray(bodyStart, end);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = buffer.indexOf('\r\n', bodyStart);
        if (lineEnd < 0) return;
        const size = parseInt(buffer.toString('latin1', bodyStart, lineEnd), 16);
        if (size === 0) {
          // The last chunk, then optional trailers, then an empty line.
          const trailerEnd = buffer.indexOf('\r\n\r\n', lineEnd);
          if (trailerEnd < 0) return;
          end = trailerEnd + 4;
          break;
        }
        if (buffer.length < lineEnd + 2 + size + 2) return;
        parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        bodyStart = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      end = bodyStart;
      body = Buffer.alloc(0);
    }
    this.#buffer = buffer.subarray(end);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (/\r\nconnection:\s*close/i.test(head)) this.close();
    waiting.resolve({ status, text: body.toString('utf8', 0, Math.min(body.length, 500)) });
  }
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const headerLines = Object.entries({ host: target.host, ...spec.headers }).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const encode = (body: string | undefined): Buffer =>
    body === undefined
      ? Buffer.from(`${spec.method} ${spec.path} HTTP/1.1\r\n${headerLines}\r\n`)
      : Buffer.concat([Buffer.from(`${spec.method} ${spec.path} HTTP/1.1\r\n${headerLines}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`), Buffer.from(body)]);
  const requests = spec.bodies?.length ? spec.bodies.map(encode) : [encode(undefined)];
  const connections = Array.from({ length: spec.concurrency }, () => new RawConnection(target.hostname, Number(target.port)));
  const latencies: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  let next = 0;

  const startedAt = performance.now();
  const measureFrom = startedAt + spec.warmupSeconds * 1000;
  const measureUntil = measureFrom + spec.seconds * 1000;
  let cpuAtStart = process.threadCpuUsage();
  let eluAtStart = performance.eventLoopUtilization();
  let marked = false;

  async function user(connection: RawConnection): Promise<void> {
    for (;;) {
      const begin = performance.now();
      if (begin >= measureUntil) return;
      if (!marked && begin >= measureFrom) {
        marked = true;
        cpuAtStart = process.threadCpuUsage();
        eluAtStart = performance.eventLoopUtilization();
        parentPort?.postMessage({ type: 'measuring' } satisfies WorkerMessage);
      }
      const request = requests[next++ % requests.length]!;
      let failure: string | undefined;
      try {
        const { status, text } = await connection.request(request);
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

  await Promise.all(connections.map((connection) => user(connection)));
  const cpu = process.threadCpuUsage(cpuAtStart);
  const elu = performance.eventLoopUtilization(eluAtStart);
  for (const connection of connections) connection.close();
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
