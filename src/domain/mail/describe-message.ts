/**
 * What `casebook mail parse` prints for one message: the fields Casebook extracts, as one flat
 * JSON-ready object. An unreadable message gives `error` instead of the fields.
 */
import { classifyMessage } from './classify-message.ts';
import { extractReply } from './extract-reply.ts';
import type { DeliveryReport, MailClassification } from './mail.types.ts';
import { parseMessage } from './parse-message.ts';

export type MessageDescription =
  | {
      file: string;
      messageId: string | null;
      from: string | null;
      fromName: string | null;
      to: string[];
      cc: string[];
      replyTo: string | null;
      subject: string;
      text: string;
      newText: string;
      hasHtml: boolean;
      attachments: { filename: string | null; contentType: string; size: number; sha256: string; inline: boolean }[];
      classification: MailClassification;
      classificationReason: string;
      report: DeliveryReport | null;
    }
  | { file: string; error: string };

export async function describeMessage(file: string, raw: Uint8Array): Promise<MessageDescription> {
  const parsed = await parseMessage(raw);
  if (!parsed.ok) return { file, error: `${parsed.error.code}: ${parsed.error.message}` };
  const message = parsed.message;
  const classified = classifyMessage(message);
  return {
    file,
    messageId: message.messageId,
    from: message.from?.address ?? null,
    fromName: message.from?.name || null,
    to: message.to.map((address) => address.address),
    cc: message.cc.map((address) => address.address),
    replyTo: message.replyTo?.address ?? null,
    subject: message.subject,
    text: message.text,
    newText: extractReply(message.text).newText,
    hasHtml: message.hasHtml,
    attachments: message.attachments.map(({ filename, contentType, size, sha256, inline }) => ({ filename, contentType, size, sha256, inline })),
    classification: classified.classification,
    classificationReason: classified.reason,
    report: classified.report,
  };
}

/** One line for a person: classification, sender, subject, size of the new text, attachments. */
export function summariseDescription(description: MessageDescription): string {
  if ('error' in description) return `${description.file}: error: ${description.error}`;
  const attachments = description.attachments.length ? `, ${description.attachments.length} attachment(s)` : '';
  const failed = description.report?.recipients.length ? `, about ${description.report.recipients.map((recipient) => recipient.address).join(', ')}` : '';
  return `${description.file}: ${description.classification} (${description.classificationReason}) from ${description.from ?? '?'} — "${description.subject}"${failed}; new text ${description.newText.length} chars${attachments}`;
}
