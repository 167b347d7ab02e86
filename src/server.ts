import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { startSmtpListener, type SmtpListener } from './channels/smtp-listener.ts';
import { buildApp } from './http/app.ts';
import { buildEventHandlers, startBackgroundJobs } from './jobs/background.ts';
import { newControlToken, writeControlInfo } from './platform/data-dir-lock.ts';
import { startOutboxProcessor, type OutboxProcessor } from './platform/outbox/processor.ts';
import { createRealtimeHub } from './platform/realtime.ts';
import type { Runtime } from './platform/runtime.ts';

/** How long a stopping server waits for open connections before closing them. */
const SHUTDOWN_GRACE_MS = 3_000;

export type RunningServer = { app: FastifyInstance; url: string; processor: OutboxProcessor; smtp: SmtpListener | undefined; stop(): Promise<void> };

/** Wires the HTTP app, the outbox processor and realtime onto an opened runtime, then listens. */
export async function startServer(
  runtime: Runtime,
  options: { runControlCommand?: (argv: string[], cwd: string, write: (line: string) => void) => Promise<number>; log?: (line: string) => void } = {},
): Promise<RunningServer> {
  const { config, database, files } = runtime;
  const realtime = createRealtimeHub(database);
  await realtime.start();
  const controlToken = config.databaseUrl ? undefined : newControlToken();
  const app = await buildApp(
    {
      config,
      database,
      files,
      realtime,
      controlToken,
      runControlCommand: options.runControlCommand,
    },
    { logger: config.logLevel === 'silent' ? false : { level: config.logLevel } },
  );
  const processor = startOutboxProcessor(database, buildEventHandlers(runtime, realtime), {
    // Default 1: measured on 2 cores, 4 at once took CPU from the requests (c1 188 → 100 cases/s) and
    // did not speed mail intake up; more app nodes or cores may want more (CASEBOOK_OUTBOX_CONCURRENCY).
    concurrency: config.outboxConcurrency ?? 1,
    onError: (error, event) => app.log.warn({ err: error, eventId: event.id, topic: event.topic }, 'outbox handler failed'),
  });
  const jobs = startBackgroundJobs(runtime);
  // Inbound mail (CASEBOOK_SMTP_LISTEN): listening before the HTTP port, so "running" means both.
  let smtp: SmtpListener | undefined;
  try {
    smtp = config.smtpListen
      ? await startSmtpListener(database.db, {
          ...config.smtpListen,
          maxBytes: config.smtpMaxBytes,
          tls: config.smtpTlsCert && config.smtpTlsKey ? { cert: readFileSync(config.smtpTlsCert), key: readFileSync(config.smtpTlsKey) } : undefined,
          log: app.log,
        })
      : undefined;
  } catch (error) {
    await Promise.all([app.close(), processor.stop(), ...jobs.map((job) => job.stop()), realtime.stop()]);
    throw new Error(`The SMTP listener cannot start on ${config.smtpListen!.host}:${config.smtpListen!.port}: ${(error as Error).message}`);
  }
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  if (controlToken) writeControlInfo(config.dataDir, url, controlToken);
  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    processor,
    smtp,
    stop() {
      stopping ??= (async () => {
        await smtp?.stop(); // no new mail; sessions in DATA finish storing first
        // Event streams (SSE) never end by themselves and would keep close() waiting forever: after a
        // short grace for in-flight requests, cut the connections still open.
        const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        try {
          await app.close();
        } finally {
          clearTimeout(force);
        }
        await processor.stop();
        await Promise.all(jobs.map((job) => job.stop()));
        await realtime.stop();
      })();
      return stopping;
    },
  };
}
