import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { FileStore } from '../../platform/file-store.ts';
import { isAgent, type Actor } from '../identity/index.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { ticketsError } from './tickets.errors.ts';
import { canTicket } from './tickets.policy.ts';
import { findAttachment, insertAttachment } from './tickets.repo.ts';
import type { Attachment } from './tickets.types.ts';

export const UploadAttachmentQuery = z.object({ filename: z.string().trim().min(1).max(255) }).strict();

/** Types a browser may render inline; anything else downloads as application/octet-stream. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']);

export function safeContentType(declared: string): { contentType: string; inline: boolean } {
  const base = declared.split(';')[0]!.trim().toLowerCase();
  return INLINE_TYPES.has(base) ? { contentType: base, inline: true } : { contentType: 'application/octet-stream', inline: false };
}

/** Stores an upload; it joins a case when a message or a new case names it in attachmentIds. */
export async function uploadAttachment(
  db: Db,
  files: FileStore,
  actor: Actor,
  upload: { filename: string; contentType: string; bytes: Buffer; maxBytes: number },
): Promise<Attachment> {
  if (upload.bytes.length === 0) throw ticketsError('ATTACHMENT_INVALID');
  if (upload.bytes.length > upload.maxBytes) throw ticketsError('ATTACHMENT_TOO_LARGE', { maxBytes: upload.maxBytes });
  const filename = upload.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 255);
  const stored = await files.put(upload.bytes);
  const declared = upload.contentType.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
  return insertAttachment(db, { filename, contentType: declared, size: stored.size, sha256: stored.sha256, uploadedBy: actor.userId });
}

/** An attachment the actor may download: the uploader's own, or one on a visible case (not on an internal note for customers). */
export async function readAttachment(db: Db, files: FileStore, actor: Actor, attachmentId: string) {
  const attachment = await findAttachment(db, attachmentId);
  if (!attachment) throw ticketsError('ATTACHMENT_NOT_FOUND');
  if (attachment.ticketId) {
    const ticket = await loadVisibleTicket(db, actor, attachment.ticketId).catch(() => undefined);
    if (!ticket) throw ticketsError('ATTACHMENT_NOT_FOUND');
    if (attachment.isInternal && !canTicket(actor, 'ticket.read-internal', ticket)) throw ticketsError('ATTACHMENT_NOT_FOUND');
  } else if (attachment.uploadedBy !== actor.userId && !isAgent(actor)) {
    throw ticketsError('ATTACHMENT_NOT_FOUND');
  }
  return { attachment, ...safeContentType(attachment.contentType), stream: files.open(attachment.sha256) };
}
