import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

/** A small but real-looking PDF, plus random bytes so each test's file is distinct. */
const pdfBytes = () => Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), randomBytes(2048), Buffer.from('\n%%EOF\n')]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function storedFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('attachments', () => {
  let t: TestApp;
  let agentToken: string;
  let customer: User;
  let customerToken: string;
  let strangerToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    const org = await make.organization();
    agentToken = await make.token(await make.agent());
    customer = await make.contact(org.id);
    customerToken = await make.token(customer);
    strangerToken = await make.token(await make.contact((await make.organization()).id));
  });
  afterAll(() => t.close());

  const upload = (token: string, filename: string, bytes: Buffer, contentType: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/attachments?filename=${encodeURIComponent(filename)}`, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload: bytes });
  const download = (token: string, id: string) => t.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: { authorization: `Bearer ${token}` } });
  const openCase = async () => (await call(t.app, customerToken, 'POST', '/api/v1/tickets', { subject: 'Files', body: 'See attached' })).json();

  it('uploads raw bytes, attaches them to a reply, and serves the same bytes back with a safe type', async () => {
    const bytes = pdfBytes();
    const uploaded = await upload(customerToken, 'report.pdf', bytes, 'application/pdf');
    expect(uploaded.statusCode).toBe(201);
    const attachment = uploaded.json();
    expect(attachment).toMatchObject({ filename: 'report.pdf', contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes), ticketId: null, messageId: null });

    const ticket = await openCase();
    const message = await call(t.app, customerToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'The report', attachmentIds: [attachment.id] });
    expect(message.statusCode).toBe(201);
    expect(message.json().attachments).toEqual([expect.objectContaining({ id: attachment.id, ticketId: ticket.id, messageId: message.json().id })]);
    const listed = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(listed.find((item: { id: string }) => item.id === message.json().id).attachments.map((item: { id: string }) => item.id)).toEqual([attachment.id]);

    for (const token of [customerToken, agentToken]) {
      const file = await download(token, attachment.id);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(bytes)).toBe(true);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['content-length']).toBe(String(bytes.length));
      expect(file.headers['content-disposition']).toBe("inline; filename*=UTF-8''report.pdf");
    }
  });

  it('serves an HTML upload as an application/octet-stream download, never as a page', async () => {
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    const attachment = (await upload(customerToken, 'invoice.html', html, 'text/html; charset=utf-8')).json();
    const file = await download(customerToken, attachment.id);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(html)).toBe(true);
    const svg = (await upload(customerToken, 'logo.svg', Buffer.from('<svg onload="alert(1)"/>'), 'image/svg+xml')).json();
    expect((await download(customerToken, svg.id)).headers['content-type']).toBe('application/octet-stream');
  });

  it('refuses an upload over the configured limit (64 KiB in tests) with 413, and an empty one', async () => {
    const tooBig = await upload(customerToken, 'huge.bin', randomBytes(64 * 1024 + 1), 'application/octet-stream');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('PAYLOAD_TOO_LARGE');
    expect((await upload(customerToken, 'just-fits.bin', randomBytes(64 * 1024), 'application/octet-stream')).statusCode).toBe(201);
    const empty = await upload(customerToken, 'empty.txt', Buffer.alloc(0), 'text/plain');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().code).toBe('ATTACHMENT_INVALID');
    const unnamed = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { authorization: `Bearer ${customerToken}`, 'content-type': 'text/plain' }, payload: 'x' });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().code).toBe('VALIDATION_FAILED');
  });

  it('a customer of another organisation gets 404 for a case file, and for someone else’s unattached upload', async () => {
    const ticket = await openCase();
    const attachment = (await upload(customerToken, 'private.pdf', pdfBytes(), 'application/pdf')).json();
    await call(t.app, customerToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'private', attachmentIds: [attachment.id] });
    const denied = await download(strangerToken, attachment.id);
    expect(denied.statusCode).toBe(404);
    expect(denied.json().code).toBe('ATTACHMENT_NOT_FOUND');

    const loose = (await upload(agentToken, 'draft.pdf', pdfBytes(), 'application/pdf')).json();
    expect((await download(agentToken, loose.id)).statusCode).toBe(200);
    expect((await download(customerToken, loose.id)).statusCode).toBe(404);
  });

  it('a file on an internal note is 404 for the customer of the case', async () => {
    const ticket = await openCase();
    const attachment = (await upload(agentToken, 'internal-logs.pdf', pdfBytes(), 'application/pdf')).json();
    const note = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'logs attached', internal: true, attachmentIds: [attachment.id] });
    expect(note.statusCode).toBe(201);
    expect((await download(agentToken, attachment.id)).statusCode).toBe(200);
    const asCustomer = await download(customerToken, attachment.id);
    expect(asCustomer.statusCode).toBe(404);
    expect(asCustomer.json().code).toBe('ATTACHMENT_NOT_FOUND');
    const messages = JSON.stringify((await call(t.app, customerToken, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json());
    expect(messages).not.toContain(attachment.id);
  });

  it('only the uploader attaches an upload, and only once', async () => {
    const ticket = await openCase();
    const attachment = (await upload(customerToken, 'mine.pdf', pdfBytes(), 'application/pdf')).json();
    const byAgent = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'stealing', attachmentIds: [attachment.id] });
    expect(byAgent.statusCode).toBe(404);
    expect(byAgent.json().code).toBe('ATTACHMENT_NOT_FOUND');
    expect((await call(t.app, customerToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'first', attachmentIds: [attachment.id] })).statusCode).toBe(201);
    const twice = await call(t.app, customerToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'again', attachmentIds: [attachment.id] });
    expect(twice.json().code).toBe('ATTACHMENT_NOT_FOUND');
  });

  it('the same bytes uploaded twice are stored once on disk', async () => {
    const root = join(t.dataDir, 'files');
    const bytes = pdfBytes();
    const before = storedFiles(root).length;
    const first = (await upload(customerToken, 'copy-1.pdf', bytes, 'application/pdf')).json();
    const second = (await upload(agentToken, 'copy-2.pdf', bytes, 'application/pdf')).json();
    expect(first.id).not.toBe(second.id);
    expect(first.sha256).toBe(second.sha256);
    const files = storedFiles(root);
    expect(files.length).toBe(before + 1);
    expect(files.filter((path) => path.endsWith(sha256(bytes)))).toHaveLength(1);
    expect(files.filter((path) => path.endsWith('.tmp'))).toEqual([]);
    expect((await download(agentToken, second.id)).rawPayload.equals(bytes)).toBe(true);
  });
});
