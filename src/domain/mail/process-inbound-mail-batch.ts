/**
 * The `mail.received` subscriber: the event's mail and the other mails waiting behind it are read in
 * one statement, parsed, and processed in a few lanes at once. A lane commits a few of its mails per
 * transaction, each locked and decided exactly as alone (process-inbound-mail.ts), so they commit
 * together or not at all; if anything fails, the lane takes those mails again one per transaction,
 * so one bad mail never holds back the others and its error is recorded on it alone.
 *
 * Order: mails that may depend on each other share a lane and go one after the other in arrival
 * order — same sender (the rate limit counts their cases; a new contact is made once), a Message-ID
 * one of them references, or the same Outlook Thread-Index root. A case number or reply token can
 * only name a case committed before (the customer learnt it from our mail), so it needs no lane.
 * A mail taken along that another run holds (`SKIP LOCKED`) or that fails ends its lane: the rest of
 * that lane waits for its own events. The event's own mail is always processed (waiting for a lock
 * if need be) and its failure fails the event, which the outbox retries; a mail taken along that
 * fails keeps its error and attempt count and is retried by its own event.
 */
import type { EventHandler } from '../../platform/outbox/processor.ts';
import { listInboundMailsToProcess } from './inbound-batch.repo.ts';
import type { StoredInboundMail } from './inbound-processing.repo.ts';
import { mailboxDirectory } from './mailbox-directory.ts';
import {
  laneKeys,
  processInboundMailsTogether,
  processStoredInboundMail,
  readInboundMail,
  type InboundMailDeps,
  type ProcessedInboundMail,
  type ReadInboundMail,
} from './process-inbound-mail.ts';

export type InboundBatchOptions = {
  /** Mails read per event, the event's own included (default 32). */
  batchMails?: number;
  /** Raw bytes read per event beyond the event's own mail (default 8 MiB). */
  batchBytes?: number;
  /** Lanes processed at once, each on its own connection (default 2). */
  lanes?: number;
  /** Mails of one lane committed together (default 8). */
  mailsPerCommit?: number;
};

type Item = { stored: StoredInboundMail; read: ReadInboundMail };

/** Processes the named mail and the ones waiting behind it; returns the named mail's result. */
export async function processInboundMailBatch(deps: InboundMailDeps, inboundMailId: string, options: InboundBatchOptions = {}): Promise<ProcessedInboundMail> {
  const db = deps.database.db;
  const stored = await listInboundMailsToProcess(db, inboundMailId, { limit: options.batchMails ?? 32, maxBytes: options.batchBytes ?? 8 * 1024 * 1024 });
  const own = stored.find((mail) => mail.id === inboundMailId);
  const waiting = stored.filter((mail) => mail.state === 'received');
  if (waiting.length === 0) return { state: 'skipped', previousState: own?.state ?? null };
  const mailboxes = await mailboxDirectory(db);
  const items: Item[] = [];
  for (const mail of waiting) items.push({ stored: mail, read: await readInboundMail(mail) });

  let result: ProcessedInboundMail = { state: 'skipped', previousState: own?.state ?? null };
  let ownError: { error: unknown } | null = null;
  let isOwnDone = own?.state !== 'received';
  const done = (item: Item, processed: ProcessedInboundMail) => {
    if (item.stored.id === inboundMailId) {
      result = processed;
      isOwnDone = true;
    }
  };
  /** One mail in its own transaction; false when the lane must stop (held elsewhere, or failed). */
  const alone = async (item: Item): Promise<boolean> => {
    const isOwn = item.stored.id === inboundMailId;
    try {
      const processed = await processStoredInboundMail(deps, mailboxes, item.stored, item.read, { skipLocked: !isOwn });
      done(item, processed);
      return !(processed.state === 'skipped' && processed.previousState === null);
    } catch (error) {
      // Its attempt and error are recorded; a mail taken along is retried by its own event.
      if (isOwn) {
        ownError = { error };
        isOwnDone = true;
      }
      return false;
    }
  };
  const perCommit = Math.max(1, options.mailsPerCommit ?? 8);
  const runLane = async (lane: Item[]) => {
    for (let start = 0; start < lane.length; start += perCommit) {
      const group = lane.slice(start, start + perCommit);
      let results: ProcessedInboundMail[];
      try {
        results = await processInboundMailsTogether(deps, mailboxes, group, { waitFor: inboundMailId });
      } catch {
        for (const item of group) if (!(await alone(item))) return;
        continue;
      }
      results.forEach((processed, index) => done(group[index]!, processed));
      if (results.length < group.length) return; // a mail held by another run: the rest of the lane waits for its own events
    }
  };
  await Promise.all(intoLanes(items, options.lanes ?? 2).map(runLane));
  if (ownError) throw (ownError as { error: unknown }).error;
  if (!isOwnDone && own) {
    // Its lane ended early (a mail before it was held elsewhere or failed): the event's own mail still goes now.
    const item = items.find((candidate) => candidate.stored.id === inboundMailId)!;
    result = await processStoredInboundMail(deps, mailboxes, item.stored, item.read, { skipLocked: false });
  }
  return result;
}

/**
 * At most `count` lanes, each in arrival order: mails that may depend on each other (sender,
 * referenced Message-IDs, Thread-Index root) always share one; independent groups are spread so
 * the lanes are about even (and each commits several mails at once).
 */
export function intoLanes<T extends Item>(items: readonly T[], count: number): T[][] {
  const lanes: T[][] = Array.from({ length: Math.max(1, Math.min(count, items.length)) }, () => []);
  const order = new Map(items.map((item, index) => [item, index]));
  for (const group of dependentGroups(items)) lanes.reduce((smallest, lane) => (lane.length < smallest.length ? lane : smallest)).push(...group);
  for (const lane of lanes) lane.sort((left, right) => order.get(left)! - order.get(right)!);
  return lanes.filter((lane) => lane.length > 0);
}

/** Mails that may depend on each other, grouped; groups in order of their first mail, each in arrival order. */
function dependentGroups<T extends Item>(items: readonly T[]): T[][] {
  const parent = items.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const owner = new Map<string, number>();
  items.forEach((item, index) => {
    for (const key of laneKeys(item)) {
      const seen = owner.get(key);
      if (seen === undefined) owner.set(key, index);
      else parent[root(index)] = root(seen);
    }
  });
  const lanes = new Map<number, T[]>();
  items.forEach((item, index) => {
    const lane = lanes.get(root(index));
    if (lane) lane.push(item);
    else lanes.set(root(index), [item]);
  });
  return [...lanes.values()];
}

/** The outbox subscriber: each `mail.received` event processes its mail and the ones waiting behind it. */
export function inboundMailHandler(deps: InboundMailDeps, options: InboundBatchOptions = {}): EventHandler {
  return {
    name: 'mail-intake',
    topics: ['mail.received'],
    // Even when an earlier batch took this event's mail along, the event still looks for mails waiting
    // behind it: that keeps intake ahead of the new cases' own events queued between mail events.
    handle: async (event) => {
      const id = event.payload.inboundMailId;
      if (typeof id === 'string') await processInboundMailBatch(deps, id, options);
    },
  };
}
