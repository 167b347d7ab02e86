import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse-message.ts';

async function parse(raw: string | Buffer) {
  const result = await parseMessage(Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\n/g, '\r\n')));
  if (!result.ok) throw new Error(result.error.message);
  return result.message;
}

function encodedMail(charset: string, body: Buffer): Buffer {
  return Buffer.from(
    `From: a@example.test\r\nSubject: =?${charset}?B?${body.toString('base64')}?=\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.toString('base64')}\r\n`,
  );
}

describe('parseMessage: charsets', () => {
  const cases: [string, Buffer, string][] = [
    ['gb2312', iconv.encode('你好，世界', 'gb2312'), '你好，世界'],
    ['iso-2022-jp', Buffer.from('1b244224332473244b2441244f1b2842', 'hex'), 'こんにちは'],
    ['windows-1251', iconv.encode('Привет', 'windows-1251'), 'Привет'],
    ['windows-1252', iconv.encode('café “ok”', 'windows-1252'), 'café “ok”'],
    ['shift_jis', iconv.encode('日本語', 'shift_jis'), '日本語'],
    ['utf-7', Buffer.from('Hi Mom -+Jjo--!'), 'Hi Mom -☺-!'],
    ['unicode-1-1-utf-7', Buffer.from('+ZeVnLIqe-'), '日本語'],
  ];
  for (const [charset, bytes, text] of cases) {
    it(`decodes ${charset} in the body and in an encoded-word subject`, async () => {
      const message = await parse(encodedMail(charset, bytes));
      expect(message.text.trim()).toBe(text);
      expect(message.subject).toBe(text);
    });
  }

  it('decodes UTF-7 only after decoding: a +ADw-script+AD4- HTML body is sanitised', async () => {
    const message = await parse('From: a@example.test\nContent-Type: text/html; charset=utf-7\n\n+ADw-p+AD4-hi+ADw-/p+AD4APA-script+AD4-alert(1)+ADw-/script+AD4-\n');
    expect(message.html?.trim()).toBe('<p>hi</p>');
    expect(message.text.trim()).toBe('hi');
  });
});

describe('parseMessage: fields', () => {
  it('reads ids, threading headers and addresses', async () => {
    const message = await parse(
      [
        'Message-ID: <abc@example.test>',
        'In-Reply-To: <parent@example.test>',
        'References: <root@example.test> <parent@example.test>',
        'Thread-Index: AQHZ1234',
        'From: "Ann Smith" <ann@example.test>',
        'To: support@example.test, Bob <bob@example.test>',
        'Cc: Team: carol@example.test, dan@example.test;',
        'Reply-To: replies@example.test',
        'Subject: =?utf-8?Q?Caf=C3=A9?=',
        'Date: Tue, 1 Apr 2025 10:00:00 +0200',
        '',
        'Hello',
      ].join('\n'),
    );
    expect(message).toMatchObject({
      messageId: 'abc@example.test',
      inReplyTo: 'parent@example.test',
      references: ['root@example.test', 'parent@example.test'],
      threadIndex: 'AQHZ1234',
      from: { address: 'ann@example.test', name: 'Ann Smith' },
      replyTo: { address: 'replies@example.test', name: '' },
      subject: 'Café',
      text: 'Hello',
      hasHtml: false,
      html: null,
    });
    expect(message.to.map((to) => to.address)).toEqual(['support@example.test', 'bob@example.test']);
    expect(message.cc.map((cc) => cc.address)).toEqual(['carol@example.test', 'dan@example.test']);
    expect(message.date?.toISOString()).toBe('2025-04-01T08:00:00.000Z');
  });

  it('gives HTML-only mail a text version and a sanitised HTML version', async () => {
    const message = await parse(
      [
        'From: a@example.test',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p onclick="steal()">Hello <b>there</b></p><script>alert(1)</script>',
        '<a href="javascript:alert(1)">x</a><a href="https://example.test/">link</a>',
        '<img src="https://tracker.example/pixel.gif"><img src="cid:logo@x">',
        '<iframe src="https://evil.example"></iframe><style>p{}</style>',
      ].join('\n'),
    );
    expect(message.hasHtml).toBe(true);
    expect(message.text).toContain('Hello there');
    expect(message.html).not.toMatch(/script|onclick|javascript:|iframe|<style/i);
    expect(message.html).toContain('data-blocked-src="https://tracker.example/pixel.gif"');
    expect(message.html).not.toMatch(/\ssrc="https:\/\/tracker/);
    expect(message.html).toContain('src="cid:logo@x"');
    expect(message.html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('lists attachments with the SHA-256 of the decoded bytes, inline images by cid', async () => {
    const pdf = Buffer.from('%PDF-1.4 fake');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const message = await parse(
      [
        'From: a@example.test',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: multipart/related; boundary="b2"',
        '',
        '--b2',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>see <img src="cid:img1@x"></p>',
        '--b2',
        'Content-Type: image/png',
        'Content-ID: <img1@x>',
        'Content-Transfer-Encoding: base64',
        '',
        png.toString('base64'),
        '--b2--',
        '--b1',
        'Content-Type: application/pdf; name="report.pdf"',
        'Content-Disposition: attachment; filename="report.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64'),
        '--b1--',
        '',
      ].join('\n'),
    );
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(message.attachments.map(({ content: _content, ...rest }) => rest)).toEqual([
      { filename: null, contentType: 'image/png', size: png.length, sha256: sha(png), inline: true, contentId: 'img1@x' },
      { filename: 'report.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha(pdf), inline: false, contentId: null },
    ]);
  });

  it('keeps an S/MIME signature as an attachment', async () => {
    const message = await parse(
      [
        'From: a@example.test',
        'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="s"',
        '',
        '--s',
        'Content-Type: text/plain',
        '',
        'signed text',
        '--s',
        'Content-Type: application/pkcs7-signature; name="smime.p7s"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('signature-bytes').toString('base64'),
        '--s--',
        '',
      ].join('\n'),
    );
    expect(message.text.trim()).toBe('signed text');
    expect(message.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([['smime.p7s', 'application/pkcs7-signature']]);
  });

  it('never throws, whatever the bytes', async () => {
    for (const raw of [Buffer.alloc(0), Buffer.from([0, 255, 13, 10, 13, 10, 0]), Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x\r\n'), Buffer.from('\u0000'.repeat(10))]) {
      const result = await parseMessage(raw);
      expect(typeof result.ok).toBe('boolean');
    }
  });
});
