import { describe, expect, it } from 'vitest';
import { groupCommit, type Outcome } from './group-commit.ts';

describe('groupCommit', () => {
  it('a lone call runs at once; calls made while a batch runs are gathered into the next one', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const run = async (items: number[]): Promise<Array<Outcome<number>>> => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items.map((item) => ({ ok: true, value: item * 10 }));
    };
    const submit = groupCommit(run);
    const first = submit(1);
    const rest = [2, 3, 4, 5].map((item) => submit(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('each caller gets its own outcome; a thrown batch fails only its own callers', async () => {
    let calls = 0;
    const submit = groupCommit(async (items: string[]): Promise<Array<Outcome<string>>> => {
      calls++;
      if (items.includes('boom')) throw new Error('batch failed');
      return items.map((item) => (item.startsWith('bad') ? { ok: false, error: new Error(`refused ${item}`) } : { ok: true, value: item.toUpperCase() }));
    }, { maxBatch: 2 });
    // Batches: [a] at once, then [bad-b, c] and [boom] (at most 2 per batch).
    const outcomes = await Promise.allSettled(['a', 'bad-b', 'c', 'boom'].map((item) => submit(item)));
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'A' });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { message: 'refused bad-b' } });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 'C' });
    expect(outcomes[3]).toMatchObject({ status: 'rejected', reason: { message: 'batch failed' } });
    expect(calls).toBe(3);
    expect(await submit('after')).toBe('AFTER');
  });

  it('a batch stops before the item that would take it past maxWeight, but always takes its first item', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const submit = groupCommit(
      async (items: number[]): Promise<Array<Outcome<number>>> => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return items.map((item) => ({ ok: true, value: item }));
      },
      { weigh: (item) => item, maxWeight: 10 },
    );
    const all = [1, 4, 5, 3, 20, 2].map((item) => submit(item));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all(all);
    expect(batches).toEqual([[1], [4, 5], [3], [20], [2]]);
  });

  it('starts the next batch, up to the statement it sends after a few awaits, before answering the callers of the batch that ended', async () => {
    const events: string[] = [];
    let finishFirst: () => void = () => {};
    const submit = groupCommit(async (items: string[]): Promise<Array<Outcome<string>>> => {
      if (items[0] === 'a') await new Promise<void>((resolve) => (finishFirst = resolve));
      // Like a database driver: a few awaits (pool, connection) before the statement leaves.
      for (let hop = 0; hop < 4; hop++) await Promise.resolve();
      events.push(`sent ${items.join(',')}`);
      return items.map((item) => ({ ok: true, value: item }));
    });
    const first = submit('a').then(() => events.push('answered a'));
    const second = submit('b').then(() => events.push('answered b'));
    await new Promise((resolve) => setImmediate(resolve));
    finishFirst();
    await Promise.all([first, second]);
    expect(events.slice(0, 2)).toEqual(['sent a', 'sent b']);
    expect(events.slice(2).sort()).toEqual(['answered a', 'answered b']);
  });
});
