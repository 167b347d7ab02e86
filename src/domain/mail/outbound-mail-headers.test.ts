import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelay } from './deliver-outbound-mails.ts';
import { automaticHeaders, boundReferences, newMessageId, plusAddress } from './outbound-mail-headers.ts';

describe('outbound mail headers', () => {
  it('makes Message-IDs that carry the case token and never repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId('mail.example.test', 'abc123')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{16}\.abc123@mail\.example\.test$/);
    expect(newMessageId('mail.example.test', null)).toMatch(/^[A-Za-z0-9]{16}@mail\.example\.test$/);
  });

  it('keeps the thread root and the last ten references, in order', () => {
    const chain = Array.from({ length: 25 }, (_, index) => `m${index}@x`);
    expect(boundReferences(chain)).toEqual(['m0@x', ...chain.slice(15)]);
    expect(boundReferences(['a@x', 'b@x', 'a@x'])).toEqual(['a@x', 'b@x']);
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 60 }), (ids) => {
        const bounded = boundReferences(ids);
        expect(bounded.length).toBeLessThanOrEqual(11);
        if (ids.length > 0) expect(bounded[0]).toBe(ids[0]);
        if (ids.length > 0) expect(bounded.at(-1)).toBe(ids.at(-1));
      }),
    );
  });

  it('plus-addresses the mailbox with the token, replacing an existing tag', () => {
    expect(plusAddress('support@example.test', 'tok')).toBe('support+tok@example.test');
    expect(plusAddress('support+eu@example.test', 'tok')).toBe('support+tok@example.test');
  });

  it('marks only automatic mail as auto-submitted', () => {
    expect(automaticHeaders(true)).toEqual({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
    expect(automaticHeaders(false)).toEqual({});
  });

  it('backs off exponentially from the base delay, at most one hour', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelay(attempts, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelay(20, 30_000)).toBe(3_600_000);
  });
});
