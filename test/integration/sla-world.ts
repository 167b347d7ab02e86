/** A small support world for the SLA tests: agents, a team with a lead, a TAM, plans, and an outbox processor to drive. */
import { sql } from 'kysely';
import { createTeam, SYSTEM_ACTOR, type User } from '../../src/domain/identity/index.ts';
import { createPlan, type Plan } from '../../src/domain/plans/index.ts';
import { slaEventHandler } from '../../src/domain/sla/index.ts';
import { startOutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { call, factories, unique, type TestApp } from '../support/test-app.ts';

export const TWENTY_FOUR_SEVEN_CALENDAR_ID = 'c0000000-0000-4000-8000-000000000002';
export const PREMIUM_PLAN_ID = 'a0000000-0000-4000-8000-000000000002';
export const STANDARD_PLAN_ID = 'a0000000-0000-4000-8000-000000000001';

export type ClockRow = {
  id: string;
  kind: string;
  cycle: number;
  state: string;
  target_seconds: number;
  started_at: Date;
  due_at: Date | null;
  stopped_at: Date | null;
  is_breached: boolean;
  next_check_at: Date | null;
};

/** A clock's explanation as `GET /api/v1/tickets/:id/sla` shows it (built on demand, never stored). */
export type ClockExplanation = { lines: string[]; priority: string; pauses: Array<{ status: string }>; calendar: { name: string } };

export async function slaWorld(t: TestApp) {
  const db = t.database.db;
  const make = factories(t.database);
  const agent = await make.agent({ senior: true, supportLine: 'L2' });
  const lead = await make.agent();
  const tam = await make.agent({ roles: ['agent', 'tam'] });
  const team = await createTeam(db, SYSTEM_ACTOR, { name: unique('Team'), leadId: lead.id, memberIds: [agent.id] });
  const processor = startOutboxProcessor(t.database, [slaEventHandler(db)], { pollIntervalMs: 3_600_000 });
  const tokens = new Map<string, string>();
  const tokenOf = async (user: User) => {
    if (!tokens.has(user.id)) tokens.set(user.id, await make.token(user));
    return tokens.get(user.id)!;
  };

  /** A plan on the 24/7 calendar whose targets are all `minutes` (1 minute: every checkpoint within 61 s). */
  const tinyPlan = async (input: { minutes: number; namedTam?: boolean; calendarId?: string }): Promise<Plan> => {
    const target = { firstResponse: { minutes: input.minutes }, nextResponse: { minutes: input.minutes }, resolution: { minutes: input.minutes } };
    return createPlan(db, SYSTEM_ACTOR, {
      code: unique('tiny').toLowerCase(),
      name: unique('Tiny'),
      calendarId: input.calendarId ?? TWENTY_FOUR_SEVEN_CALENDAR_ID,
      targets: { P1: target, P2: target, P3: target, P4: target },
      namedTam: input.namedTam ?? false,
    });
  };

  /** An organisation on a plan (by its code: the organisation's plan reference) with one contact. */
  const customer = async (planCode: string | null, input: { tamId?: string } = {}) => {
    const organization = await make.organization({ ...(planCode && { planCode }), ...(input.tamId && { tamId: input.tamId }) });
    const contact = await make.contact(organization.id);
    return { organization, contact, token: await tokenOf(contact) };
  };

  /** Opens a case through the API as an agent (assigned to the world's agent and team unless told otherwise). */
  const openCase = async (requester: User, body: Record<string, unknown> = {}) => {
    const response = await call(t.app, await tokenOf(agent), 'POST', '/api/v1/tickets', { subject: 'SLA case', requesterId: requester.id, priority: 'P1', assigneeId: agent.id, teamId: team.id, ...body });
    if (response.statusCode !== 201) throw new Error(`open case: ${response.statusCode} ${response.body}`);
    return response.json() as { id: string; number: number; createdAt: string; organizationId: string };
  };

  const clocksOf = async (ticketId: string): Promise<ClockRow[]> =>
    (await db.selectFrom('sla_clocks').selectAll().where('ticket_id', '=', ticketId).orderBy('kind').orderBy('cycle').execute()) as unknown as ClockRow[];
  const clockOf = async (ticketId: string, kind: string, cycle = 1): Promise<ClockRow> => {
    const found = (await clocksOf(ticketId)).find((clock) => clock.kind === kind && clock.cycle === cycle);
    if (!found) throw new Error(`no ${kind} clock ${cycle} on ${ticketId}`);
    return found;
  };

  /** The explanation of a clock as an agent reads it through the API (it is not stored with the clock). */
  const explanationOf = async (ticketId: string, kind: string, cycle = 1): Promise<ClockExplanation> => {
    const response = await call(t.app, await tokenOf(agent), 'GET', `/api/v1/tickets/${ticketId}/sla`);
    if (response.statusCode !== 200) throw new Error(`sla of ${ticketId}: ${response.statusCode} ${response.body}`);
    const found = (response.json() as { clocks: Array<{ kind: string; cycle: number; explanation: ClockExplanation }> }).clocks.find((clock) => clock.kind === kind && clock.cycle === cycle);
    if (!found) throw new Error(`no ${kind} clock ${cycle} in the SLA of ${ticketId}`);
    return found.explanation;
  };

  /** Moves a case and its whole history back in time (as if it had been opened `seconds` earlier). */
  const ageCase = async (ticketId: string, seconds: number) => {
    await sql`update tickets set created_at = created_at - make_interval(secs => ${seconds}) where id = ${ticketId}`.execute(db);
    await sql`update audit_events set created_at = created_at - make_interval(secs => ${seconds}) where ticket_id = ${ticketId}`.execute(db);
  };

  return {
    db,
    make,
    agent,
    lead,
    tam,
    team,
    tokenOf,
    tinyPlan,
    customer,
    openCase,
    clocksOf,
    clockOf,
    explanationOf,
    ageCase,
    drain: () => processor.drain(),
    stop: () => processor.stop(),
  };
}

export type SlaWorld = Awaited<ReturnType<typeof slaWorld>>;
