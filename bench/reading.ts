import { rawFor, type Results } from './report.ts';

/** The one-paragraph reading of a run, written from its own figures. */
export function composeReading(results: Results): string {
  const parts: string[] = [];
  const postgres = results.engines.find((engine) => engine.engine === 'postgres');
  const pglite = results.engines.find((engine) => engine.engine === 'pglite');
  const f0 = (value: number) => Math.round(value).toLocaleString('en');
  const f1 = (value: number) => value.toFixed(1);

  const pg8 = postgres?.writes.find((phase) => phase.concurrency === 8);
  const pg1 = postgres?.writes.find((phase) => phase.concurrency === 1);
  const raw8 = rawFor(results, 8);
  const raw1 = rawFor(results, 1);
  if (pg8 && raw8) {
    const ratio = pg8.load.perSecond / raw8.tps;
    parts.push(
      `On PostgreSQL, Casebook opened ${f0(pg8.load.perSecond)} cases/s at concurrency 8 (p99 ${f1(pg8.load.p99)} ms), ` +
        `${(ratio * 100).toFixed(0)} % of the ${f0(raw8.tps)} one-row INSERT transactions/s pgbench reaches on the same server: ` +
        `the ≥ 25 % target is ${ratio >= 0.25 ? 'met' : 'not met'}.`,
    );
    if (pg1 && raw1) parts.push(`At concurrency 1 it is ${f0(pg1.load.perSecond)} cases/s against ${f0(raw1.tps)} raw inserts/s (${((pg1.load.perSecond / raw1.tps) * 100).toFixed(0)} %).`);
    const c = postgres?.calibration;
    if (c) {
      parts.push(
        `One case costs ${c.requestStatements} database round trip${c.requestStatements === 1 ? '' : 's'} and ${c.requestWriteTransactions} commit${c.requestWriteTransactions === 1 ? '' : 's'} in the request, then ${c.outboxStatements} round trips and ` +
          `${c.outboxWriteTransactions} commits (each a WAL flush) in the outbox handlers when it is alone — under load several cases share the request's insert statement (group commit) and the SLA and realtime handlers take a claimed batch of events at once — against 1 round trip and 1 commit for pgbench's insert.`,
      );
    }
    if (pg8.outboxBacklog > 0 && pg8.outboxHandledPerSecond < 0.9 * pg8.load.perSecond) {
      parts.push(
        `The outbox processor kept up with only ${f0(pg8.outboxHandledPerSecond)} events/s while cases arrived at ${f0(pg8.load.perSecond)}/s: ` +
          `${f0(pg8.outboxBacklog)} events were still waiting at the end of the phase and took ${f1(pg8.outboxDrainSeconds)} s to drain, so the accepted rate is not sustainable for long.`,
      );
    }
    const planned = postgres?.writes.find((phase) => phase.variant);
    if (planned) {
      const behind = planned.outboxBacklog > 0 && planned.outboxHandledPerSecond < 0.9 * planned.load.perSecond;
      parts.push(
        `For a customer on the Standard plan (the plan recorded and SLA clocks started by the outbox handlers), it opened ${f0(planned.load.perSecond)} cases/s at concurrency 8 ` +
          `(${((planned.load.perSecond / raw8.tps) * 100).toFixed(0)} % of raw); the outbox handled ${f0(planned.outboxHandledPerSecond)} events/s meanwhile` +
          (behind ? ` and fell behind: ${f0(planned.outboxBacklog)} events waited at the end (${f1(planned.outboxDrainSeconds)} s to drain).` : ' and kept up.'),
      );
    }
    const other = pg8.cpu.otherSeconds / pg8.cpu.wallSeconds;
    if (other >= 0.3) parts.push(`Other processes used ${other.toFixed(1)} of the ${results.machine.cores} cores during that phase, so these figures are depressed by noise.`);
    else if (pg8.cpu.machineBusy >= 0.85) parts.push(`The cores were ${(pg8.cpu.machineBusy * 100).toFixed(0)} % busy: the figure is bounded by CPU shared between Node, PostgreSQL and the load generator, not by the disk.`);
  }
  if (results.shapes.length && raw8) {
    const list = results.shapes.map((shape) => `${shape.name}: ${f0(shape.raw.tps * shape.casesPerTransaction)} cases/s (${((shape.raw.tps * shape.casesPerTransaction * 100) / raw8.tps).toFixed(0)} %)`);
    parts.push(
      `Replayed by pgbench as plain SQL with no Node at all (8 clients), the create path gives — ${list.join('; ')}. ` +
        'So the SQL of a grouped create is not what bounds the API: the CPU left for it beside the HTTP layer, the load generator and the outbox handlers is.',
    );
  }
  const pgRead = postgres?.reads ?? [];
  if (pgRead.length) {
    const worst = pgRead.reduce((max, read) => (read.load.p99 > max.load.p99 ? read : max));
    const indexes = [...new Set(pgRead.flatMap((read) => read.plan?.indexes ?? []))];
    parts.push(
      `Queue reads at ${f0(postgres?.distribution?.total ?? 0)} cases stay ${worst.load.p99 < 10 ? 'under' : 'over'} the 10 ms p99 target on PostgreSQL ` +
        `(worst: ${worst.view}, p99 ${f1(worst.load.p99)} ms); the plans use ${indexes.join(', ') || 'no index'} and execute in ` +
        `${pgRead.map((read) => `${read.plan?.executionMs.toFixed(2) ?? '?'} ms`).join(' / ')}, so most of the request time is HTTP, authentication and JSON.`,
    );
  }
  if (pglite) {
    const w8 = pglite.writes.find((phase) => phase.concurrency === 8);
    const w1 = pglite.writes.find((phase) => phase.concurrency === 1);
    if (w1 && w8) {
      parts.push(
        `The embedded PGlite (one connection, in the server's own thread, no fsync) opened ${f0(w1.load.perSecond)} cases/s at concurrency 1 and ${f0(w8.load.perSecond)} at 8 ` +
          `(requests queue on its single connection: p99 ${f1(w8.load.p99)} ms).`,
      );
    }
    if (pglite.reads.length) {
      const worst = pglite.reads.reduce((max, read) => (read.load.p99 > max.load.p99 ? read : max));
      parts.push(`Its queue reads at ${f0(pglite.distribution?.total ?? 0)} cases have a worst p99 of ${f1(worst.load.p99)} ms (${worst.view}), ${worst.load.p99 < 10 ? 'within' : 'outside'} the 10 ms target.`);
    }
  }
  const errors = results.engines.flatMap((engine) => engine.errors);
  if (errors.length) parts.push(`Some phases failed (see "Problems during the run"), so their figures are missing.`);
  return parts.join(' ');
}
