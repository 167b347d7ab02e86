import nodemailer from 'nodemailer';
import type { Db } from '../platform/db/database.ts';
import { startPeriodicJob, type PeriodicJob } from '../platform/periodic-job.ts';
import { deliverDueMails, type DeliveryOptions, type DeliveryResult, type MailTransport, type OutgoingMail, type SendFailure } from '../domain/mail/index.ts';

export type SmtpSenderOptions = DeliveryOptions & {
  /** smtp://user:password@host:port or smtps://…; undefined: nothing is sent and mail stays queued. */
  smtpUrl: string | undefined;
  intervalMs?: number;
  log?: (level: 'info' | 'warn', message: string, details?: Record<string, unknown>) => void;
};

export type SmtpSender = PeriodicJob<DeliveryResult>;

const bracket = (id: string) => `<${id}>`;

/** The nodemailer transport behind the outbound queue: headers come from the queued row, never regenerated. */
export function createSmtpTransport(smtpUrl: string): MailTransport & { close(): void } {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail: OutgoingMail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        cc: mail.cc.length > 0 ? mail.cc : undefined,
        replyTo: mail.replyTo ?? undefined,
        subject: mail.subject,
        messageId: bracket(mail.messageId),
        inReplyTo: mail.inReplyTo ? bracket(mail.inReplyTo) : undefined,
        references: mail.references.length > 0 ? mail.references.map(bracket) : undefined,
        headers: mail.headers,
        text: mail.text,
        html: mail.html,
      });
    },
    describeFailure(error: unknown): SendFailure {
      const responseCode = (error as { responseCode?: unknown }).responseCode;
      const message = error instanceof Error ? error.message : String(error);
      return { isPermanent: typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600, message };
    },
    close: () => transporter.close(),
  };
}

/**
 * Sends queued outbound mail every `intervalMs` (default 1 s) on each app node; rows are claimed
 * with SKIP LOCKED and a lease, so nodes never send the same mail at the same time.
 */
export function startSmtpSender(db: Db, options: SmtpSenderOptions): SmtpSender {
  const empty: DeliveryResult = { claimed: 0, sent: 0, retried: 0, dead: 0 };
  if (!options.smtpUrl) {
    options.log?.('info', 'CASEBOOK_SMTP_URL is not set: outbound mail stays queued until a relay is configured');
    return { name: 'smtp-sender', runNow: async () => empty, stop: async () => {} };
  }
  const transport = createSmtpTransport(options.smtpUrl);
  return startPeriodicJob({
    name: 'smtp-sender',
    intervalMs: options.intervalMs ?? 1000,
    fallback: empty,
    pass: async () => {
      const result = await deliverDueMails(db, transport, options);
      if (result.retried + result.dead > 0) options.log?.('warn', 'outbound mail failed', { retried: result.retried, dead: result.dead });
      return result;
    },
    onError: (error) => options.log?.('warn', 'outbound mail pass failed', { err: error instanceof Error ? error.message : String(error) }),
    onStop: () => transport.close(),
  });
}
