import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { inServerContext, type CommandContext } from '../../src/cli/command-context.ts';
import { addSlaCommands } from '../../src/cli/commands/sla.command.ts';
import { SYSTEM_ACTOR } from '../../src/domain/identity/index.ts';
import { createCalendar, createPlan, type Plan } from '../../src/domain/plans/index.ts';
import { simulatePlanChange } from '../../src/domain/sla/index.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { slaWorld, type SlaWorld } from './sla-world.ts';

/** The `sla` commands as `casebook` runs them (main.ts prints `error: CODE: message` the same way). */
async function runCli(argv: string[], context: CommandContext): Promise<number> {
  const program = new Command('casebook').exitOverride();
  addSlaCommands(program, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    context.write(`error: ${String((error as { code?: unknown }).code)}: ${(error as Error).message}`);
    return 1;
  }
}

describe('what-if: simulate a plan change over past cases (read-only)', () => {
  let t: TestApp;
  let w: SlaWorld;
  let plan: Plan;
  const ticketNumbers: number[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    w = await slaWorld(t);
    plan = await w.tinyPlan({ minutes: 60 });
    const { contact } = await w.customer(plan.code);
    const agentToken = await w.tokenOf(w.agent);
    // Three cases answered 30 minutes after they were opened, two hours ago; one never answered.
    for (let index = 0; index < 4; index++) {
      const ticket = await w.openCase(contact);
      ticketNumbers.push(ticket.number);
      if (index < 3) await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Answer' });
      await w.ageCase(ticket.id, 2 * 3600);
      await sql`update audit_events set created_at = created_at + interval '30 minutes' where ticket_id = ${ticket.id} and action = 'reply.added'`.execute(w.db);
    }
    await w.drain();
  });
  afterAll(async () => {
    await w.stop();
    await t.close();
  });

  const snapshot = async () => ({
    clocks: await w.db.selectFrom('sla_clocks').selectAll().orderBy('id').execute(),
    tickets: await w.db.selectFrom('tickets').selectAll().orderBy('id').execute(),
    audits: Number((await w.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count),
  });

  it('tightening the first-response target turns on-time answers into breaches, and lists the cases that flip', async () => {
    const before = await snapshot();
    const result = await simulatePlanChange(w.db, { planCode: plan.code, changes: { targets: { P1: { firstResponse: { minutes: 15 } } } } });
    expect(result.casesExamined).toBe(4);
    expect(result.breaches.firstResponse).toEqual({ now: 1, withChange: 4 });
    expect(result.breaches.resolution).toEqual({ now: 4, withChange: 4 });
    expect(result.flips.map((flip) => flip.number)).toEqual(ticketNumbers.slice(0, 3));
    expect(result.flips[0]).toMatchObject({ before: { firstResponse: false }, after: { firstResponse: true } });
    expect(await snapshot()).toEqual(before);
  });

  it('loosening the resolution target and pausing on more statuses reduce or keep breaches; --since narrows the cases', async () => {
    const looser = await simulatePlanChange(w.db, { planCode: plan.code, changes: { targets: { P1: { resolution: { minutes: 600 } } } } });
    expect(looser.breaches.resolution).toEqual({ now: 4, withChange: 0 });
    const none = await simulatePlanChange(w.db, { planCode: plan.code, changes: { pauseStatuses: ['pending-customer', 'on-hold'] }, since: new Date(Date.now() + 60_000) });
    expect(none.casesExamined).toBe(0);
  });

  it('`sla recompute --plan` applies a calendar change (a holiday) to the open cases of the plan', async () => {
    const every = [['09:00', '17:00']] as Array<[string, string]>;
    const calendar = await createCalendar(w.db, SYSTEM_ACTOR, { name: 'Nine to five UTC', definition: { timeZone: 'UTC', week: { mon: every, tue: every, wed: every, thu: every, fri: every, sat: every, sun: every }, holidays: [] } });
    const days = { firstResponse: { days: 1 }, nextResponse: { days: 1 }, resolution: { days: 2 } };
    const business = await createPlan(w.db, SYSTEM_ACTOR, { code: 'nine-to-five', name: 'Nine to five', calendarId: calendar.id, targets: { P1: days, P2: days, P3: days, P4: days } });
    const { contact } = await w.customer(business.code);
    const ticket = await w.openCase(contact);
    await w.drain();
    const before = await w.clockOf(ticket.id, 'first-response');
    const dueDate = before.due_at!.toISOString().slice(0, 10);
    await sql`update calendars set definition = jsonb_set(definition, '{holidays}', to_jsonb(array[${dueDate}::text])) where id = ${calendar.id}`.execute(w.db);
    const lines: string[] = [];
    const context = inServerContext(t.app.services.config, t.database, t.files, t.dataDir, (line) => lines.push(line));
    expect(await runCli(['sla', 'recompute', '--plan', business.code], context)).toBe(0);
    expect(lines).toEqual(['recomputed 1 open case(s): 2 clock(s), 2 written, 0 removed']);
    const after = await w.clockOf(ticket.id, 'first-response');
    expect(after.due_at!.getTime()).toBeGreaterThan(before.due_at!.getTime());
    expect(after.due_at!.toISOString().slice(0, 10)).not.toBe(dueDate);
  });

  it('the CLI prints the comparison; bad changes and unknown plans are clear errors', async () => {
    const lines: string[] = [];
    const context = inServerContext(t.app.services.config, t.database, t.files, t.dataDir, (line) => lines.push(line));
    const changes = join(t.dataDir, 'tighter.json');
    writeFileSync(changes, JSON.stringify({ targets: { P1: { firstResponse: { minutes: 15 } } } }));
    expect(await runCli(['sla', 'simulate', '--plan', plan.code, '--changes', changes], context)).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`^Plan ${plan.code}: 4 case\\(s\\) examined`));
    expect(lines).toContain('  first response        1 →      4  (+3)');
    expect(lines).toContain('3 case(s) flip:');
    expect(lines.some((line) => line.startsWith(`  #${ticketNumbers[0]}: first response ok`))).toBe(true);

    lines.length = 0;
    writeFileSync(changes, JSON.stringify({ targets: { P9: {} } }));
    expect(await runCli(['sla', 'simulate', '--plan', plan.code, '--changes', changes], context)).toBe(1);
    expect(lines.join('\n')).toContain('SLA_CHANGES_INVALID');
    lines.length = 0;
    writeFileSync(changes, JSON.stringify({ pauseStatuses: ['on-hold'] }));
    expect(await runCli(['sla', 'simulate', '--plan', 'no-such-plan', '--changes', changes], context)).toBe(1);
    expect(lines.join('\n')).toContain('PLAN_NOT_FOUND');
  });
});
