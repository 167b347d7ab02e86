import { hostname } from 'node:os';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { ZodError } from 'zod';
import { acceptInboundMails, AcceptInboundMailInput, findMailboxForRecipients } from '../domain/mail/index.ts';
import type { Db } from '../platform/db/database.ts';
import { groupCommit, type Outcome } from '../platform/group-commit.ts';

/**
 * The built-in SMTP listener: an MTA delivers mail for our mailboxes here. A message is answered
 * `250` only once `acceptInboundMails` committed its raw bytes (and the `mail.received` event);
 * a database failure answers `451`, so the MTA keeps the mail and tries again later. Processing
 * (threading, cases) runs afterwards from the stored copy.
 *
 * Group commit: while one commit is under way, the messages that finish meanwhile (other
 * connections) wait and then go together in the next one — one statement for all of them, each
 * still answered only after the commit that holds it. A lone message is committed at once.
 */

export type SmtpListenerLog = {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
};

export type SmtpListenerOptions = {
  host: string;
  /** 0 picks a free port (tests); the listener reports the real one. */
  port: number;
  /** Largest message accepted (advertised with SIZE; larger ones get 552). */
  maxBytes: number;
  /** PEM certificate and key: STARTTLS is offered only with them. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The name in the greeting and EHLO reply (default: this machine's hostname). */
  name?: string;
  /** How long stop() lets open sessions finish before answering them 421 (ms). */
  closeTimeoutMs?: number;
  log?: SmtpListenerLog;
};

export type SmtpListener = { host: string; port: number; stop(): Promise<void> };

const silentLog: SmtpListenerLog = { info: () => {}, warn: () => {} };

/** An SMTP reply for a refused command: `responseCode` is what smtp-server answers with. */
function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/** At most this many messages, or this many bytes (past the first message), share one commit. */
const GROUP_MAX_MAILS = 64;
const GROUP_MAX_BYTES = 16 * 1024 * 1024;

type Stored = { id: string; duplicate: boolean };

/** Queues messages to store; each promise settles after the commit that contains its message. */
export function groupCommitter(db: Db): (input: AcceptInboundMailInput) => Promise<Stored> {
  // A group the database refuses is taken again one message at a time by groupCommit: one bad message never costs the others their 250.
  return groupCommit(
    async (inputs: AcceptInboundMailInput[]): Promise<Array<Outcome<Stored>>> => (await acceptInboundMails(db, inputs)).map((value) => ({ ok: true, value })),
    { maxBatch: GROUP_MAX_MAILS, weigh: (input) => input.raw.length, maxWeight: GROUP_MAX_BYTES },
  );
}

export async function startSmtpListener(db: Db, options: SmtpListenerOptions): Promise<SmtpListener> {
  const log = options.log ?? silentLog;
  const store = groupCommitter(db);
  // RCPT TO decides the mailbox; DATA reuses that decision for the session's current envelope.
  const mailboxOfRecipient = new WeakMap<SMTPServerSession, Map<string, string>>();

  const server = new SMTPServer({
    name: options.name ?? hostname(),
    banner: 'Casebook',
    size: options.maxBytes,
    rejectOversized: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls && { cert: options.tls.cert, key: options.tls.key }),
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    maxRecipients: 100,
    closeTimeout: options.closeTimeoutMs ?? 3_000,
    logger: false,

    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      findMailboxForRecipients(db, [address.address]).then(
        (mailbox) => {
          if (!mailbox) return callback(smtpError(550, `<${address.address}>: no such mailbox here`));
          const known = mailboxOfRecipient.get(session) ?? new Map<string, string>();
          known.set(address.address.toLowerCase(), mailbox.id);
          mailboxOfRecipient.set(session, known);
          callback();
        },
        (error: unknown) => {
          log.warn({ err: error, recipient: address.address }, 'SMTP recipient check failed; answered 451');
          callback(smtpError(451, 'Temporary failure, please try again later'));
        },
      );
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, reply: (error?: Error | null, message?: string) => void) {
      let isAnswered = false;
      const callback = (error: Error | null, message?: string) => {
        if (isAnswered) return;
        isAnswered = true;
        reply(error, message);
      };
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk); // past the limit: read on, keep nothing
      });
      stream.once('error', (error: Error) => callback(smtpError(451, `Temporary failure: ${error.message}`)));
      stream.once('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `Message exceeds the maximum size of ${options.maxBytes} bytes`));
        const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
        const known = mailboxOfRecipient.get(session);
        const mailboxId = recipients.map((recipient) => known?.get(recipient.toLowerCase())).find(Boolean) ?? null;
        const raw = Buffer.concat(chunks);
        const input = AcceptInboundMailInput.safeParse({
          raw,
          source: 'smtp',
          mailboxId,
          // A bounce (DSN) comes with the null sender MAIL FROM:<>.
          envelopeFrom: (session.envelope.mailFrom && session.envelope.mailFrom.address) || null,
          envelopeTo: recipients,
        });
        if (!input.success) return callback(smtpError(554, 'Message refused: empty or malformed'));
        store(input.data).then(
          (stored) => callback(null, `OK: stored as ${stored.id}${stored.duplicate ? ' (already received)' : ''}`),
          (error: unknown) => {
            if (error instanceof ZodError) return callback(smtpError(554, 'Message refused: empty or malformed'));
            log.warn({ err: error, bytes: raw.length }, 'storing an inbound mail failed; answered 451');
            callback(smtpError(451, 'Temporary failure storing the message, please try again later'));
          },
        );
      });
    },
  });
  // Connection-level failures (a client resetting its socket, a failed TLS handshake) are not fatal.
  const onError = (error: Error) => log.warn({ err: error }, 'SMTP listener connection error');

  await new Promise<void>((resolveListen, rejectListen) => {
    const failed = (error: Error) => rejectListen(error);
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
      resolveListen();
    });
  });
  server.on('error', onError);

  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ host: options.host, port, startTls: Boolean(options.tls), maxBytes: options.maxBytes }, `SMTP listener on ${options.host}:${port}`);
  let stopping: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    stop() {
      stopping ??= new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      return stopping;
    },
  };
}
