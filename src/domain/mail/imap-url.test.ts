import { describe, expect, it } from 'vitest';
import { maskImapUrl, parseImapUrl, unmaskImapUrl } from './imap-url.ts';

describe('parseImapUrl', () => {
  it('reads user, password, host, port and folder', () => {
    expect(parseImapUrl('imaps://support%40example.test:s%3Acret@mail.example.test:10993/Support%20Inbox')).toEqual({
      secure: true,
      host: 'mail.example.test',
      port: 10993,
      user: 'support@example.test',
      password: 's:cret',
      folder: 'Support Inbox',
    });
  });

  it('defaults the port by scheme and the folder to INBOX', () => {
    expect(parseImapUrl('imap://u:p@127.0.0.1')).toMatchObject({ secure: false, port: 143, folder: 'INBOX', host: '127.0.0.1' });
    expect(parseImapUrl('imaps://u:p@mail.example.test/')).toMatchObject({ secure: true, port: 993, folder: 'INBOX' });
  });

  it.each(['http://u:p@host/INBOX', 'imaps://host/INBOX', 'imaps://user@host/INBOX', 'imaps://u:p@host/INBOX?x=1', 'not a url', ''])('refuses %s', (value) => {
    expect(parseImapUrl(value)).toBeNull();
  });
});

describe('maskImapUrl', () => {
  it('hides the password and nothing else', () => {
    expect(maskImapUrl('imaps://support:hunter2-secret@mail.example.test:993/INBOX')).toBe('imaps://support:***@mail.example.test:993/INBOX');
    expect(maskImapUrl(null)).toBeNull();
  });

  it('never shows the password even of a malformed value', () => {
    expect(maskImapUrl('imaps://support:hunter2 secret@[bad')).not.toContain('hunter2');
  });
});

describe('unmaskImapUrl', () => {
  const stored = 'imaps://support:hunter2@mail.example.test:993/INBOX';

  it('keeps the stored password when the masked URL comes back (another folder is fine)', () => {
    expect(parseImapUrl(unmaskImapUrl('imaps://support:***@mail.example.test:993/Archive', stored))).toMatchObject({ password: 'hunter2', folder: 'Archive' });
  });

  it('does not hand the stored password to another user or host', () => {
    expect(unmaskImapUrl('imaps://support:***@evil.example.test/INBOX', stored)).toContain('***');
    expect(unmaskImapUrl('imaps://other:***@mail.example.test/INBOX', stored)).toContain('***');
  });

  it('takes a new password as given', () => {
    expect(unmaskImapUrl('imaps://support:new-pass@mail.example.test/INBOX', stored)).toContain('new-pass');
  });
});
