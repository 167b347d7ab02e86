/**
 * What a bounce or a feedback report says: the recipients it is about (with action, status and
 * diagnostic), the Message-ID of the message it returns, and the ARF feedback type.
 *
 * Sources, most reliable first: the machine-readable part (message/delivery-status, RFC 3464;
 * message/feedback-report, RFC 5965), an Amazon SES notification's JSON, the X-Failed-Recipients
 * header (Exim), then the human-readable text of mailers that send no report part (qmail, …).
 */
import type { DeliveryReport, MailAttachment, ParsedMessage } from './mail.types.ts';

const ADDRESS = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/;

/** RFC 822-style "Name: value" groups separated by blank lines, continuation lines unfolded. */
export function readFieldGroups(text: string): Record<string, string>[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
        const match = /^([\w-]+)\s*:\s*(.*)$/.exec(line);
        if (match) fields[match[1]!.toLowerCase()] ??= match[2]!.trim();
      }
      return fields;
    })
    .filter((fields) => Object.keys(fields).length > 0);
}

function addressOf(field: string | undefined): string | null {
  if (!field) return null;
  const value = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field;
  return ADDRESS.exec(value)?.[0] ?? null;
}

function textOf(attachment: MailAttachment): string {
  return Buffer.from(attachment.content).toString('utf8');
}

function findPart(message: ParsedMessage, types: readonly string[]): MailAttachment | undefined {
  return message.attachments.find((attachment) => types.includes(attachment.contentType));
}

/** The Message-ID of the returned message: from its enclosed copy or headers, else from the text. */
function originalMessageId(message: ParsedMessage): string | null {
  const enclosed = findPart(message, ['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global', 'message/global-headers']);
  const sources = [enclosed ? textOf(enclosed).split(/\r?\n\r?\n/)[0]! : '', message.text];
  for (const source of sources) {
    const match = /^[ \t>]*Message-ID:\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$/im.exec(source);
    if (match) return match[1]!;
  }
  return null;
}

function fromDeliveryStatus(part: MailAttachment): DeliveryReport['recipients'] {
  return readFieldGroups(textOf(part))
    .filter((fields) => fields['final-recipient'] || fields['original-recipient'])
    .map((fields) => ({
      address: addressOf(fields['final-recipient']) ?? addressOf(fields['original-recipient']) ?? '',
      action: fields['action']?.toLowerCase() ?? null,
      status: /\d\.\d{1,3}\.\d{1,3}/.exec(fields['status'] ?? '')?.[0] ?? null,
      diagnostic: fields['diagnostic-code'] ?? null,
    }))
    .filter((recipient) => recipient.address !== '');
}

type SesNotification = {
  notificationType?: string;
  bounce?: { bouncedRecipients?: { emailAddress?: string; action?: string; status?: string; diagnosticCode?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[]; complaintFeedbackType?: string };
  delivery?: { recipients?: string[] };
  mail?: { messageId?: string };
};

/** An Amazon SES event published through SNS: a JSON object in the text body. */
export function readSesNotification(text: string): SesNotification | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end < start) return null;
  try {
    // Long lines of the JSON may have been folded by a mailer ("!\n "); SNS may wrap the event.
    const outer = JSON.parse(text.slice(start, end + 1).replace(/!?\n /g, '')) as SesNotification & { Message?: unknown };
    const event = typeof outer.Message === 'string' ? (JSON.parse(outer.Message) as SesNotification) : outer;
    return typeof event.notificationType === 'string' ? event : null;
  } catch {
    return null;
  }
}

function fromSes(notification: SesNotification): DeliveryReport {
  const recipients = [
    ...(notification.bounce?.bouncedRecipients ?? []).map((r) => ({ address: r.emailAddress ?? '', action: r.action ?? 'failed', status: r.status ?? null, diagnostic: r.diagnosticCode ?? null })),
    ...(notification.complaint?.complainedRecipients ?? []).map((r) => ({ address: r.emailAddress ?? '', action: null, status: null, diagnostic: null })),
    ...(notification.delivery?.recipients ?? []).map((address) => ({ address, action: 'delivered', status: null, diagnostic: null })),
  ].filter((recipient) => recipient.address !== '');
  return { recipients, originalMessageId: notification.mail?.messageId ?? null, feedbackType: notification.complaint?.complaintFeedbackType ?? null };
}

/** Addresses a plain-text bounce names on a line of their own, or qmail-style as "<address>:". */
function fromText(message: ParsedMessage): DeliveryReport['recipients'] {
  const own = new Set([message.from?.address.toLowerCase(), ...message.to.map((to) => to.address.toLowerCase())]);
  const found: string[] = [];
  const text = message.text.split(/^[ \t]*(?:-+ ?(?:Original message|This is a copy of the message|Below this line is a copy)|Return-Path:|Received:)/im)[0]!;
  for (const line of text.split('\n')) {
    const match = /^\s*(?:[\w ]{0,40}:\s*)?<?([\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+)>?:?\s*(?:\(.*\))?\s*$/.exec(line) ?? /^\s*<([^\s<>]+@[^\s<>]+)>:/.exec(line);
    if (match && !own.has(match[1]!.toLowerCase()) && !found.includes(match[1]!)) found.push(match[1]!);
  }
  return found.map((address) => ({ address, action: 'failed', status: null, diagnostic: null }));
}

/** Reads the report a bounce or feedback message carries; empty lists where it says nothing. */
export function readDeliveryReport(message: ParsedMessage): DeliveryReport {
  const ses = message.headers['x-amz-sns-message-id'] ? readSesNotification(message.text) : null;
  if (ses) return fromSes(ses);
  const originalId = originalMessageId(message);
  const feedback = findPart(message, ['message/feedback-report']);
  if (feedback) {
    const fields = readFieldGroups(textOf(feedback))[0] ?? {};
    const address = addressOf(fields['original-rcpt-to']) ?? addressOf(fields['removal-recipient']);
    return {
      recipients: address ? [{ address, action: null, status: null, diagnostic: null }] : [],
      originalMessageId: originalId,
      feedbackType: fields['feedback-type']?.toLowerCase() ?? null,
    };
  }
  const status = findPart(message, ['message/delivery-status', 'message/global-delivery-status']);
  const recipients = status ? fromDeliveryStatus(status) : [];
  if (recipients.length === 0) {
    for (const value of message.headers['x-failed-recipients'] ?? []) {
      for (const address of value.split(',').map((item) => addressOf(item.trim())).filter((item): item is string => item !== null)) {
        recipients.push({ address, action: 'failed', status: null, diagnostic: null });
      }
    }
  }
  return { recipients: recipients.length > 0 ? recipients : fromText(message), originalMessageId: originalId, feedbackType: null };
}
