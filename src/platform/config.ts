import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting Casebook reads, validated once at boot. `secret: true` marks values never logged.
 * The README's configuration table mirrors this list.
 */
const booleanFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port'),
  HOST: z.string().default('127.0.0.1').describe('HTTP listen address'),
  CASEBOOK_DATA_DIR: z.string().default('./data').describe('Embedded database and attachments directory'),
  DATABASE_URL: z.string().url().optional().describe('postgres://… — use PostgreSQL instead of the embedded database (secret)'),
  CASEBOOK_PG_PREPARED: booleanFlag.default(true).describe('PostgreSQL: run statements as named prepared statements (0 for a pooler that cannot keep them)'),
  CASEBOOK_DEMO: booleanFlag.optional().describe('1 loads the demo workspace on first start (default), 0 starts empty'),
  CASEBOOK_ADMIN_EMAIL: z.string().email().optional().describe('First admin e-mail (first start only)'),
  CASEBOOK_ADMIN_PASSWORD: z.string().min(10).optional().describe('First admin password (secret, first start only)'),
  CASEBOOK_COOKIE_SECURE: booleanFlag.default(true).describe('Mark the session cookie Secure (browsers accept it on localhost)'),
  CASEBOOK_MAX_ATTACHMENT_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024).describe('Largest attachment accepted'),
  CASEBOOK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
  CASEBOOK_OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional().describe('Cases whose background events one node handles at once (default 1; each case in order)'),
  CASEBOOK_OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7).describe('Days a processed background event is kept before it is deleted (pending and dead events are kept)'),
  CASEBOOK_TRUST_PROXY: z
    .string()
    .regex(/^(?:true|false|[0-9A-Fa-f:.\/]+(?:\s*,\s*[0-9A-Fa-f:.\/]+)*)$/, 'true, false, or proxy addresses/CIDRs separated by commas')
    .transform((value): boolean | string[] => (value === 'true' ? true : value === 'false' ? false : value.split(',').map((item) => item.trim())))
    .optional()
    .describe('Behind a reverse proxy: which proxies to trust for the client address (sign-in throttling per IP); off by default'),
  CASEBOOK_SMTP_LISTEN: z
    .string()
    .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[^:\s]+):\d{1,5}$/, 'host:port, e.g. 127.0.0.1:2525 or [::1]:25')
    .transform((value) => {
      const colon = value.lastIndexOf(':');
      return { host: value.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(colon + 1)) };
    })
    .refine((listen) => listen.port <= 65535, 'port above 65535')
    .optional()
    .describe('host:port of the built-in SMTP listener for inbound mail (off when unset)'),
  CASEBOOK_SMTP_MAX_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024).describe('Largest inbound message: the SMTP listener answers 552 above it; IMAP leaves it unread on the server'),
  CASEBOOK_SMTP_TLS_CERT: z.string().optional().describe('PEM certificate file: the SMTP listener offers STARTTLS (with CASEBOOK_SMTP_TLS_KEY)'),
  CASEBOOK_SMTP_TLS_KEY: z.string().optional().describe('PEM private key file of CASEBOOK_SMTP_TLS_CERT (secret)'),
  CASEBOOK_MAIL_FROM: z.string().email().default('support@casebook.local').describe('From address of outbound mail when no mailbox is configured'),
  CASEBOOK_MAIL_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+$/).optional().describe('Domain of our Message-IDs (default: the domain of CASEBOOK_MAIL_FROM)'),
  CASEBOOK_PUBLIC_URL: z.string().url().optional().describe('Base URL of the web app, for links in e-mails (e.g. https://support.example.com)'),
  CASEBOOK_SMTP_URL: z.string().regex(/^smtps?:\/\//).optional().describe('smtp://user:password@host:port or smtps://… — outbound mail relay; unset = mail stays queued (secret)'),
  CASEBOOK_SMTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8).describe('Sending attempts before an outbound mail is dead'),
  CASEBOOK_SMTP_RETRY_BASE_MS: z.coerce.number().int().min(1).default(30_000).describe('First retry delay of outbound mail (doubles each attempt, at most one hour)'),
  CASEBOOK_MAIL_RATE_LIMIT: z
    .string()
    .regex(/^(?:off|\d{1,6}\/\d{1,6}[smhd])$/, 'COUNT/WINDOW like 20/10m (s, m, h, d), or off')
    .transform((value) => {
      if (value === 'off') return null;
      const [count, window] = value.split('/') as [string, string];
      const unitSeconds = { s: 1, m: 60, h: 3600, d: 86_400 }[window.slice(-1) as 's' | 'm' | 'h' | 'd'];
      return { count: Number(count), windowSeconds: Number(window.slice(0, -1)) * unitSeconds };
    })
    .default({ count: 20, windowSeconds: 600 })
    .describe('New cases one sender address may open by mail per window (20/10m); beyond it mail is kept but opens no case; off disables'),
  CASEBOOK_IMAP_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60).describe('Longest wait between two passes over an IMAP mailbox (IDLE picks new mail up sooner where the server supports it)'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL: named prepared statements (CASEBOOK_PG_PREPARED, default on). */
  preparedStatements: boolean;
  loadDemo: boolean | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  cookieSecure: boolean;
  maxAttachmentBytes: number;
  logLevel: z.infer<typeof ConfigSchema>['CASEBOOK_LOG_LEVEL'];
  trustProxy: boolean | string[];
  outboxConcurrency: number | undefined;
  outboxRetentionDays: number;
  /** Longest wait between two passes over an IMAP mailbox, in seconds. */
  imapPollSeconds: number;
  /** The SMTP listener's address, or undefined when it is off. */
  smtpListen: { host: string; port: number } | undefined;
  smtpMaxBytes: number;
  /** Absolute paths of the STARTTLS certificate and key (both or neither). */
  smtpTlsCert: string | undefined;
  smtpTlsKey: string | undefined;
  mail: { fromAddress: string; domain: string; publicUrl: string | null; smtpUrl: string | undefined; maxAttempts: number; retryBaseMs: number };
  /** New cases per sender address by mail within a window, or null when unlimited. */
  mailRateLimit: { count: number; windowSeconds: number } | null;
};

export const SECRET_SETTINGS = ['DATABASE_URL', 'CASEBOOK_ADMIN_PASSWORD', 'CASEBOOK_SMTP_URL'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const values = parsed.data;
  if (Boolean(values.CASEBOOK_SMTP_TLS_CERT) !== Boolean(values.CASEBOOK_SMTP_TLS_KEY)) {
    throw new Error('Invalid configuration: CASEBOOK_SMTP_TLS_CERT and CASEBOOK_SMTP_TLS_KEY are set together (STARTTLS needs both)');
  }
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: resolve(values.CASEBOOK_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    preparedStatements: values.CASEBOOK_PG_PREPARED,
    loadDemo: values.CASEBOOK_DEMO,
    adminEmail: values.CASEBOOK_ADMIN_EMAIL,
    adminPassword: values.CASEBOOK_ADMIN_PASSWORD,
    cookieSecure: values.CASEBOOK_COOKIE_SECURE,
    maxAttachmentBytes: values.CASEBOOK_MAX_ATTACHMENT_BYTES,
    logLevel: values.CASEBOOK_LOG_LEVEL,
    trustProxy: values.CASEBOOK_TRUST_PROXY ?? false,
    outboxConcurrency: values.CASEBOOK_OUTBOX_CONCURRENCY,
    outboxRetentionDays: values.CASEBOOK_OUTBOX_RETENTION_DAYS,
    imapPollSeconds: values.CASEBOOK_IMAP_POLL_SECONDS,
    smtpListen: values.CASEBOOK_SMTP_LISTEN,
    smtpMaxBytes: values.CASEBOOK_SMTP_MAX_BYTES,
    smtpTlsCert: values.CASEBOOK_SMTP_TLS_CERT && resolve(values.CASEBOOK_SMTP_TLS_CERT),
    smtpTlsKey: values.CASEBOOK_SMTP_TLS_KEY && resolve(values.CASEBOOK_SMTP_TLS_KEY),
    mail: {
      fromAddress: values.CASEBOOK_MAIL_FROM,
      domain: values.CASEBOOK_MAIL_DOMAIN ?? values.CASEBOOK_MAIL_FROM.split('@')[1]!,
      publicUrl: values.CASEBOOK_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      smtpUrl: values.CASEBOOK_SMTP_URL,
      maxAttempts: values.CASEBOOK_SMTP_MAX_ATTEMPTS,
      retryBaseMs: values.CASEBOOK_SMTP_RETRY_BASE_MS,
    },
    mailRateLimit: values.CASEBOOK_MAIL_RATE_LIMIT,
  };
}
