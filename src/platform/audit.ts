import type { Executor } from './db/database.ts';

export type AuditEntry = {
  subjectType: 'ticket' | 'organization' | 'user' | 'team' | 'environment' | 'plan' | 'contract' | 'mailbox' | 'inbound_mail' | 'mail_address';
  subjectId: string;
  ticketId?: string | null;
  actorId: string | null;
  action: string;
  changes?: Record<string, { before: unknown; after: unknown }> | Record<string, unknown>;
};

/** Appends one row to the audit timeline, in the caller's transaction. The table is append-only. */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  await recordAudits(executor, [entry]);
}

/** Appends several rows in one statement, in the given order (ids ascend with it). */
export async function recordAudits(executor: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await executor
    .insertInto('audit_events')
    .values(
      entries.map((entry) => ({
        subject_type: entry.subjectType,
        subject_id: entry.subjectId,
        ticket_id: entry.ticketId ?? null,
        actor_id: entry.actorId,
        action: entry.action,
        changes: JSON.stringify(entry.changes ?? {}),
      })),
    )
    .execute();
}

/** Before/after pairs for the fields that really changed. */
export function diffFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    if (JSON.stringify(before[field]) !== JSON.stringify(value)) changes[field] = { before: before[field] ?? null, after: value };
  }
  return changes;
}
