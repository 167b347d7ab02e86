import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ParsedMessage } from './mail.types.ts';
import { caseSubject } from './open-case-from-mail.ts';
import { domainCandidates } from './resolve-sender.ts';
import { rewriteCidReferences, type StoredMailFile } from './store-mail-attachments.ts';
import { caseNumberInSubject, threadIndexRoot, threadingKeys } from './thread-inbound-mail.ts';

const token = 'a'.repeat(8) + '0123456789abcdef' + 'b'.repeat(8);

function message(fields: Partial<ParsedMessage>): ParsedMessage {
  return {
    messageId: 'm1@customer.test',
    inReplyTo: null,
    references: [],
    threadIndex: null,
    from: { address: 'nina@customer.test', name: 'Nina' },
    to: [{ address: 'support@casebook.test', name: '' }],
    cc: [],
    replyTo: null,
    subject: '',
    date: null,
    text: '',
    html: null,
    hasHtml: false,
    attachments: [],
    headers: {},
    contentType: 'text/plain',
    reportType: null,
    ...fields,
  };
}

describe('threading keys', () => {
  it('reads the case token from a plus address and from our Message-IDs, In-Reply-To first then References newest first', () => {
    const keys = threadingKeys(
      message({ to: [{ address: `support+${token}@casebook.test`, name: '' }], inReplyTo: 'x@gmail.test', references: ['root@casebook.test', `r4nd.${token.toUpperCase()}@casebook.test`] }),
      [],
    );
    expect(keys.tokens).toEqual([token]);
    expect(keys.messageIds).toEqual(['x@gmail.test', `r4nd.${token.toUpperCase()}@casebook.test`, 'root@casebook.test']);
  });

  it('ignores plus tags that are not tokens and hex runs shorter than a token', () => {
    const keys = threadingKeys(message({ to: [{ address: 'support+billing@casebook.test', name: '' }], references: ['deadbeef@host.test'] }), ['support+123@casebook.test']);
    expect(keys.tokens).toEqual([]);
  });

  it('finds the case number only in the [#n] form', () => {
    expect(caseNumberInSubject('Re: [#1042] VPN')).toBe(1042);
    expect(caseNumberInSubject('Re: #1042 VPN')).toBeNull();
    expect(caseSubject('Re: [#1042] VPN drops')).toBe('Re: VPN drops');
    expect(caseSubject('  [#7] ')).toBe('(no subject)');
  });

  it('gives every Thread-Index of one Outlook conversation the same root', () => {
    const root = randomBytes(22);
    const first = threadIndexRoot(root.toString('base64'));
    const reply = threadIndexRoot(Buffer.concat([root, randomBytes(5)]).toString('base64'));
    const replyOfReply = threadIndexRoot(Buffer.concat([root, randomBytes(10)]).toString('base64'));
    expect(first).toBe(root.toString('base64'));
    expect(reply).toBe(first);
    expect(replyOfReply).toBe(first);
    expect(threadIndexRoot('c2hvcnQ=')).toBeNull();
    expect(threadIndexRoot(null)).toBeNull();
  });
});

describe('sender domains and inline images', () => {
  it('tries the sender domain then its parents, never the top-level domain alone', () => {
    expect(domainCandidates('gary@eu.mail.globex.example')).toEqual(['eu.mail.globex.example', 'mail.globex.example', 'globex.example']);
    expect(domainCandidates('a@localhost')).toEqual([]);
  });

  it('points cid: references at the served attachment, case-insensitively, and leaves unknown ones', () => {
    const files: StoredMailFile[] = [{ id: 'f1', filename: 'logo.png', contentType: 'image/png', size: 1, sha256: 'x', contentId: 'Logo@Mail', inline: true }];
    const html = `<img src="cid:logo@mail"><img src='cid:Logo%40Mail'><img src="cid:other@mail">`;
    expect(rewriteCidReferences(html, files)).toBe(`<img src="/api/v1/attachments/f1"><img src='/api/v1/attachments/f1'><img src="cid:other@mail">`);
  });
});
