import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type CapturedMail = { raw: Buffer; parsed: ParsedMail; envelope: { from: string; to: string[] } };

export type SmtpSink = {
  url: string;
  port: number;
  messages: CapturedMail[];
  /** Refuse the next `count` messages at DATA with this SMTP code (451 = try later, 550 = permanent). */
  rejectNext(count: number, code: 451 | 550 | number): void;
  /** Resolves once `count` messages were accepted in total (or fails after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  close(): Promise<void>;
};

/** A real SMTP server on loopback (port 0) that keeps every accepted message, parsed with mailparser. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: CapturedMail[] = [];
  let rejections: { remaining: number; code: number } = { remaining: 0, code: 451 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (rejections.remaining > 0) {
          rejections.remaining -= 1;
          const error = Object.assign(new Error(rejections.code >= 500 ? 'Mailbox unavailable (test sink)' : 'Try again later (test sink)'), { responseCode: rejections.code });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              raw,
              parsed,
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    rejectNext(count, code) {
      rejections = { remaining: count, code };
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`SMTP sink: expected ${count} messages, got ${messages.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
