/**
 * Plain types of the mail context: what Casebook reads out of one raw message.
 * Nothing here touches the network, the database or the file system.
 */

export type MailAddress = { address: string; name: string };

export type MailAttachment = {
  filename: string | null;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** SHA-256 (hex) of the decoded bytes: what deduplication and integrity checks compare. */
  sha256: string;
  /** Shown in the body (Content-Disposition inline, or referenced by cid: from the HTML). */
  inline: boolean;
  /** Content-ID without angle brackets, for rewriting `cid:` references. */
  contentId: string | null;
  content: Uint8Array;
};

/** Header names are lower-case; each header keeps every occurrence, unfolded and decoded. */
export type MailHeaders = Readonly<Record<string, readonly string[]>>;

export type ParsedMessage = {
  /** Message-ID without angle brackets, or null when the message has none. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Outlook's Thread-Index header (base64), kept verbatim for threading. */
  threadIndex: string | null;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress | null;
  subject: string;
  date: Date | null;
  /** The full text body: the text/plain part, else a text rendering of the HTML part. */
  text: string;
  /** The HTML body made safe for display (see sanitize-message-html.ts), or null. */
  html: string | null;
  hasHtml: boolean;
  attachments: MailAttachment[];
  headers: MailHeaders;
  /** Top-level MIME type and its report-type parameter (multipart/report). */
  contentType: string;
  reportType: string | null;
};

export type ParseMessageResult = { ok: true; message: ParsedMessage } | { ok: false; error: { code: 'MAIL_UNREADABLE'; message: string } };

/**
 * normal: written by a person, may open or continue a case.
 * auto-reply: vacation and other automatic answers (RFC 3834), read receipts, bulk/junk mail.
 * bounce: a delivery status notification (RFC 3464 or a mailer's own format), failed or not.
 * feedback: an abuse / complaint report (ARF, RFC 5965).
 */
export type MailClassification = 'normal' | 'auto-reply' | 'bounce' | 'feedback';

export type DeliveryReport = {
  /** Recipients the report is about, with what happened to each. */
  recipients: { address: string; action: string | null; status: string | null; diagnostic: string | null }[];
  /** Message-ID (no brackets) of the message this report is about, when the report carries it. */
  originalMessageId: string | null;
  /** ARF Feedback-Type (abuse, opt-out, auth-failure, …) for feedback reports. */
  feedbackType: string | null;
};

export type ClassifiedMessage = {
  classification: MailClassification;
  /** Why, in a few words (the first rule that matched): for operators debugging a mail. */
  reason: string;
  /** Never send an automatic acknowledgement to this message (machine mail, mailing lists). */
  suppressAutoReply: boolean;
  /** Failed recipients and the original Message-ID for bounces and feedback reports. */
  report: DeliveryReport | null;
};

export type ReplyFragment = {
  /** The lines of this fragment joined with "\n" (trailing spaces trimmed, except on signature lines). */
  content: string;
  isQuoted: boolean;
  isSignature: boolean;
  /** Folded away when the message is shown (quoted history, signatures, trailing blanks). */
  isHidden: boolean;
};

export type ExtractedReply = {
  /** What the sender wrote in this message: the case shows this. */
  newText: string;
  /** The quoted history that was folded away (kept, never thrown away). */
  quotedText: string;
  /** The sender's signature block, folded away but kept. */
  signature: string;
  fragments: ReplyFragment[];
};
