import type { Config } from '../../platform/config.ts';

/** What queueMail needs from the configuration (From address, Message-ID domain, links); passed by the caller. */
export type OutboundMailSettings = Config['mail'];
