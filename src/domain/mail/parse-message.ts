/**
 * Raw message bytes → ParsedMessage, with mailparser (Nodemailer) doing the MIME work: structure,
 * transfer encodings, charsets (iconv-lite, encoding-japanese for ISO-2022-JP), RFC 2047 words.
 * UTF-7, which mailparser refuses on purpose, is transcoded first (transcode-utf7.ts).
 *
 * Never throws: a message mailparser cannot read comes back as { ok: false, error }.
 * Delivery-status and feedback-report parts, message/rfc822 enclosures, S/MIME and PGP parts are
 * all kept as attachments, byte for byte as decoded.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type HeaderValue, type ParsedMail } from 'mailparser';
import type { MailAddress, MailAttachment, MailHeaders, ParsedMessage, ParseMessageResult } from './mail.types.ts';
import { renderHtmlAsText } from './render-html-as-text.ts';
import { sanitizeMessageHtml } from './sanitize-message-html.ts';
import { transcodeUtf7 } from './transcode-utf7.ts';

export async function parseMessage(raw: Uint8Array): Promise<ParseMessageResult> {
  try {
    const source = await transcodeUtf7(raw);
    const mail = await simpleParser(source, { keepDeliveryStatus: true, keepCidLinks: true, skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
    return { ok: true, message: toParsedMessage(mail) };
  } catch (error) {
    return { ok: false, error: { code: 'MAIL_UNREADABLE', message: error instanceof Error ? error.message : String(error) } };
  }
}

function toParsedMessage(mail: ParsedMail): ParsedMessage {
  const headers = collectHeaders(mail);
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | string | undefined;
  const html = typeof mail.html === 'string' && mail.html.trim() !== '' ? mail.html : null;
  const referencedIds = new Set([...(html ?? '').matchAll(/cid:([^"'\s)>]+)/gi)].map((match) => decodeURIComponent(match[1]!).toLowerCase()));
  return {
    messageId: stripBrackets(mail.messageId),
    inReplyTo: stripBrackets(mail.inReplyTo),
    references: (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []).flatMap(splitIds),
    threadIndex: firstHeader(headers, 'thread-index'),
    from: firstAddress(mail.from),
    to: addressList(mail.to),
    cc: addressList(mail.cc),
    replyTo: firstAddress(mail.replyTo),
    subject: mail.subject ?? '',
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text: normaliseNewlines(typeof mail.text === 'string' && mail.text.trim() !== '' ? mail.text : html !== null ? renderHtmlAsText(html) : ''),
    html: html === null ? null : sanitizeMessageHtml(html),
    hasHtml: html !== null,
    attachments: mail.attachments.map((attachment) => toAttachment(attachment, referencedIds)),
    headers,
    contentType: (typeof contentType === 'string' ? contentType : (contentType?.value ?? 'text/plain')).toLowerCase(),
    reportType: typeof contentType === 'object' ? (contentType.params?.['report-type']?.toLowerCase() ?? null) : null,
  };
}

function toAttachment(attachment: Attachment, referencedIds: Set<string>): MailAttachment {
  // A broken Content-Type header can leave mailparser without a usable type.
  const contentType = typeof attachment.contentType === 'string' && attachment.contentType !== '' ? attachment.contentType.toLowerCase() : 'application/octet-stream';
  const content = new Uint8Array(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength);
  const contentId = stripBrackets(attachment.contentId ?? attachment.cid);
  const isReferenced = contentId !== null && referencedIds.has(contentId.toLowerCase());
  return {
    filename: attachment.filename ? repairUtf8ReadAsLatin1(attachment.filename) : null,
    contentType,
    size: content.byteLength,
    sha256: createHash('sha256').update(content).digest('hex'),
    inline: isReferenced || (attachment.contentDisposition === 'inline' && contentType.startsWith('image/')),
    contentId,
    content,
  };
}

/** Decoded header values by lower-case name, every occurrence kept (from the raw header lines). */
function collectHeaders(mail: ParsedMail): MailHeaders {
  const headers: Record<string, string[]> = {};
  for (const { key, line } of mail.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    (headers[key] ??= []).push(value);
  }
  for (const [key, value] of mail.headers) {
    if (typeof value === 'string' && headers[key]?.length === 1) headers[key] = [value];
    else if (headers[key] === undefined) headers[key] = [describeHeader(value)];
  }
  return headers;
}

function describeHeader(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : String(item))).join(', ');
  if (value && typeof value === 'object' && 'value' in value) return typeof value.value === 'string' ? value.value : String(value.value);
  return String(value);
}

export function firstHeader(headers: MailHeaders, name: string): string | null {
  return headers[name]?.[0] ?? null;
}

function addressList(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = Array.isArray(field) ? field : field ? [field] : [];
  const result: MailAddress[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address) result.push({ address: entry.address, name: entry.name ?? '' });
    }
  };
  for (const object of objects) visit(object.value);
  return result;
}

function firstAddress(field: AddressObject | AddressObject[] | undefined): MailAddress | null {
  return addressList(field)[0] ?? null;
}

function stripBrackets(id: string | undefined | null): string | null {
  const trimmed = (id ?? '').trim().replace(/^<+|>+$/g, '').trim();
  return trimmed === '' ? null : trimmed;
}

function splitIds(value: string): string[] {
  return (value.match(/<[^<>]+>/g) ?? value.split(/\s+/)).map((id) => stripBrackets(id)).filter((id): id is string => id !== null);
}

/**
 * A part header with raw (unencoded) UTF-8 bytes reaches us read as Latin-1 ("ÐÐ°Ñ…"): read such
 * a string back as UTF-8 when that gives valid text.
 */
export function repairUtf8ReadAsLatin1(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  // A name cut inside a character (a header length limit) ends in one replacement character.
  const repaired = Buffer.from(value, 'latin1').toString('utf8').replace(/\ufffd$/, '');
  return repaired.includes('\ufffd') ? value : repaired;
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
