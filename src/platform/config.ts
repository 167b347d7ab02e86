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
  CASEBOOK_DEMO: booleanFlag.optional().describe('1 loads the demo workspace on first start (default), 0 starts empty'),
  CASEBOOK_ADMIN_EMAIL: z.string().email().optional().describe('First admin e-mail (first start only)'),
  CASEBOOK_ADMIN_PASSWORD: z.string().min(10).optional().describe('First admin password (secret, first start only)'),
  CASEBOOK_COOKIE_SECURE: booleanFlag.default(true).describe('Mark the session cookie Secure (browsers accept it on localhost)'),
  CASEBOOK_MAX_ATTACHMENT_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024).describe('Largest attachment accepted'),
  CASEBOOK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  loadDemo: boolean | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  cookieSecure: boolean;
  maxAttachmentBytes: number;
  logLevel: z.infer<typeof ConfigSchema>['CASEBOOK_LOG_LEVEL'];
};

export const SECRET_SETTINGS = ['DATABASE_URL', 'CASEBOOK_ADMIN_PASSWORD'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: resolve(values.CASEBOOK_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    loadDemo: values.CASEBOOK_DEMO,
    adminEmail: values.CASEBOOK_ADMIN_EMAIL,
    adminPassword: values.CASEBOOK_ADMIN_PASSWORD,
    cookieSecure: values.CASEBOOK_COOKIE_SECURE,
    maxAttachmentBytes: values.CASEBOOK_MAX_ATTACHMENT_BYTES,
    logLevel: values.CASEBOOK_LOG_LEVEL,
  };
}
