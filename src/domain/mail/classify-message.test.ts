import { describe, expect, it } from 'vitest';
import { classifyMessage } from './classify-message.ts';
import { parseMessage } from './parse-message.ts';

async function classify(headers: string[], body = 'Hello', options = {}) {
  const result = await parseMessage(Buffer.from([...headers, '', body, ''].join('\r\n')));
  if (!result.ok) throw new Error(result.error.message);
  return classifyMessage(result.message, options);
}

const person = ['From: Ann <ann@example.test>', 'To: support@example.test'];

describe('classifyMessage', () => {
  it('a person writing is normal and may be acknowledged', async () => {
    expect(await classify([...person, 'Subject: Question about out of office hours'])).toMatchObject({ classification: 'normal', suppressAutoReply: false });
  });

  it('Auto-Submitted other than "no" is an auto-reply (RFC 3834)', async () => {
    expect((await classify([...person, 'Subject: Hi', 'Auto-Submitted: no'])).classification).toBe('normal');
    expect((await classify([...person, 'Subject: Hi', 'Auto-Submitted: auto-replied'])).classification).toBe('auto-reply');
    expect((await classify([...person, 'Subject: Hi', 'Auto-Submitted: auto-generated'])).classification).toBe('auto-reply');
  });

  it.each(['X-Autoreply: yes', 'X-Autorespond: yes', 'X-MS-Exchange-Inbox-Rules-Loop: support@example.test', 'Precedence: bulk', 'Precedence: junk'])('%s is an auto-reply', async (header) => {
    const result = await classify([...person, 'Subject: Re: your case', header]);
    expect(result).toMatchObject({ classification: 'auto-reply', suppressAutoReply: true });
  });

  it('mailing-list mail is a person writing, but gets no acknowledgement', async () => {
    for (const header of ['Precedence: list', 'List-Id: <users.lists.example.test>']) {
      expect(await classify([...person, 'Subject: Help', header])).toMatchObject({ classification: 'normal', suppressAutoReply: true });
    }
    expect(await classify([...person, 'Subject: Help', 'Precedence: bulk', 'List-Post: <mailto:users@lists.example.test>'])).toMatchObject({ classification: 'normal', suppressAutoReply: true });
  });

  it.each([
    'Automatic reply: Your order',
    'Out of Office: Re: invoice',
    'Abwesenheitsnotiz: Rechnung',
    'Réponse automatique : facture',
    'Respuesta automática: factura',
    'Risposta automatica: fattura',
    'Automatisch antwoord: factuur',
    'Autosvar: faktura',
    'Автоматический ответ: счёт',
    '自動応答: 請求書',
    'Invoice question (Out of office)',
  ])('vacation subject "%s" is an auto-reply', async (subject) => {
    expect((await classify([...person, `Subject: ${subject}`])).classification).toBe('auto-reply');
  });

  it('a DSN is a bounce with the failed recipient and the original Message-ID', async () => {
    const result = await classify(
      ['From: Mail Delivery System <MAILER-DAEMON@mx.example.test>', 'To: support@example.test', 'Subject: Undelivered Mail Returned to Sender', 'Content-Type: multipart/report; report-type=delivery-status; boundary="r"'],
      [
        '--r',
        'Content-Type: text/plain',
        '',
        'I could not deliver your message.',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.test',
        '',
        'Final-Recipient: rfc822; gone@customer.test',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
        '',
        '--r',
        'Content-Type: text/rfc822-headers',
        '',
        'From: support@example.test',
        'Message-ID: <case-1042.abc@example.test>',
        '--r--',
      ].join('\r\n'),
    );
    expect(result).toMatchObject({
      classification: 'bounce',
      report: { recipients: [{ address: 'gone@customer.test', action: 'failed', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown' }], originalMessageId: 'case-1042.abc@example.test' },
    });
  });

  it('an ARF report is feedback with its type', async () => {
    const result = await classify(
      ['From: abuse@isp.test', 'To: support@example.test', 'Subject: complaint', 'Content-Type: multipart/report; report-type=feedback-report; boundary="f"'],
      ['--f', 'Content-Type: text/plain', '', 'An abuse report.', '--f', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'Original-Rcpt-To: <user@isp.test>', '--f--'].join('\r\n'),
    );
    expect(result).toMatchObject({ classification: 'feedback', report: { feedbackType: 'abuse', recipients: [{ address: 'user@isp.test' }] } });
  });

  it('a null envelope sender marks machine mail', async () => {
    expect((await classify([...person, 'Subject: Notice'], 'Your mailbox is full.', { envelopeSender: '' })).classification).toBe('bounce');
    expect((await classify([...person, 'Subject: Notice'], 'Thanks!', { envelopeSender: '' })).classification).toBe('auto-reply');
    expect((await classify([...person, 'Subject: Notice'], 'Thanks!', { envelopeSender: 'ann@example.test' })).classification).toBe('normal');
  });
});
