/**
 * What a case shows of an emailed message: the new text as the body (the whole text when the reply
 * reader finds nothing new), the folded part (signature, quoted history) kept beside it, the safe
 * HTML with inline images pointing at the served attachments, and the stored files.
 */
import { extractReply } from './extract-reply.ts';
import type { ParsedMessage } from './mail.types.ts';
import { rewriteCidReferences, type StoredMailFile } from './store-mail-attachments.ts';

const MAX_BODY = 200_000;
/** Larger HTML is not kept (cutting it would break the markup); the text stays. */
const MAX_HTML = 2_000_000;

export type MailContent = { body: string; quotedBody: string | null; bodyHtml: string | null; files: readonly StoredMailFile[] };

export function mailContent(message: ParsedMessage, files: readonly StoredMailFile[]): MailContent {
  const reply = extractReply(message.text);
  const hasNewText = reply.newText.trim() !== '';
  const folded = [reply.signature, reply.quotedText].filter((part) => part.trim() !== '').join('\n\n');
  return {
    body: (hasNewText ? reply.newText : message.text.trim()).slice(0, MAX_BODY),
    quotedBody: hasNewText && folded !== '' ? folded.slice(0, MAX_BODY) : null,
    bodyHtml: message.html === null || message.html.length > MAX_HTML ? null : rewriteCidReferences(message.html, files),
    files,
  };
}
