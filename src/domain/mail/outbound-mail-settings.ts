import { loadConfig, type Config } from '../../platform/config.ts';

export type OutboundMailSettings = Config['mail'];

let configured: OutboundMailSettings | null = null;

/** Set once at boot (server, background jobs) from the validated configuration. */
export function configureOutboundMail(settings: OutboundMailSettings): void {
  configured = settings;
}

/** The configured outbound settings; before configuration (a bare test app), those of the environment. */
export function outboundMailSettings(): OutboundMailSettings {
  configured ??= loadConfig(process.env).mail;
  return configured;
}
