/**
 * The files a mail carried — attachments, inline images, S/MIME and PGP parts, enclosed messages —
 * written to the file store byte for byte (content-addressed, so a retried run writes nothing new),
 * and the HTML body's `cid:` references pointed at the served attachments.
 * Ids are chosen here, before the message row exists, so the HTML can name them.
 */
import { randomUUID } from 'node:crypto';
import type { FileStore } from '../../platform/file-store.ts';
import type { MessageFileRecord } from '../tickets/index.ts';
import type { MailAttachment } from './mail.types.ts';

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': 'eml',
  'message/delivery-status': 'txt',
  'text/rfc822-headers': 'txt',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'application/pdf': 'pdf',
  'application/pkcs7-signature': 'p7s',
  'application/x-pkcs7-signature': 'p7s',
  'application/pkcs7-mime': 'p7m',
  'application/x-pkcs7-mime': 'p7m',
  'application/pgp-signature': 'asc',
  'application/pgp-encrypted': 'asc',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export type StoredMailFile = MessageFileRecord & { contentId: string | null; inline: boolean };

export function attachmentUrl(id: string): string {
  return `/api/v1/attachments/${id}`;
}

function filenameOf(attachment: MailAttachment, index: number): string {
  const name = (attachment.filename ?? '').replace(/[\\/\u0000-\u001f]/g, '_').trim().slice(0, 255);
  if (name) return name;
  const extension = EXTENSIONS[attachment.contentType] ?? 'bin';
  return `${attachment.inline ? 'inline' : 'attachment'}-${index + 1}.${extension}`;
}

export async function storeMailAttachments(files: FileStore, attachments: readonly MailAttachment[]): Promise<StoredMailFile[]> {
  const stored: StoredMailFile[] = [];
  for (const [index, attachment] of attachments.entries()) {
    const written = await files.put(Buffer.from(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength));
    stored.push({
      id: randomUUID(),
      filename: filenameOf(attachment, index),
      contentType: attachment.contentType.slice(0, 255),
      size: written.size,
      sha256: written.sha256,
      contentId: attachment.contentId,
      inline: attachment.inline,
    });
  }
  return stored;
}

/** `cid:` references of the (already sanitised) HTML → the served attachment; unknown ids stay as they are. */
export function rewriteCidReferences(html: string, stored: readonly StoredMailFile[]): string {
  const byContentId = new Map(stored.filter((file) => file.contentId).map((file) => [file.contentId!.toLowerCase(), file.id]));
  return html.replace(/(["'])cid:([^"']+)\1/gi, (whole, quote: string, reference: string) => {
    let contentId = reference.trim();
    try {
      contentId = decodeURIComponent(contentId);
    } catch {
      // A malformed escape: compare the reference as written.
    }
    const id = byContentId.get(contentId.replace(/^<|>$/g, '').toLowerCase());
    return id ? `${quote}${attachmentUrl(id)}${quote}` : whole;
  });
}
