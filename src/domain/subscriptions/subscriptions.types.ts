import { z } from 'zod';

export const SubscribeInput = z.object({ organizationId: z.uuid() }).strict();
export type SubscribeInput = z.infer<typeof SubscribeInput>;

/**
 * An organisation an agent follows: new cases of it notify them. An agent follows explicitly
 * (they subscribed) and/or implicitly, as a named TAM of the organisation (its `tamId`, or an
 * account-team member with the `tam` role) for as long as they hold that role.
 */
export const Subscription = z.object({
  organizationId: z.uuid(),
  organizationName: z.string(),
  isExplicit: z.boolean().describe('The agent subscribed (and may unsubscribe)'),
  isNamedTam: z.boolean().describe('The agent is a named TAM of the organisation: subscribed implicitly'),
  subscribedAt: z.string().nullable().describe('When the explicit subscription was made'),
});
export type Subscription = z.infer<typeof Subscription>;

/** The environment profile attached to a new-case notice (the version the case was opened against). */
export type NoticeEnvironment = { version: number; components: unknown[]; notes: string } | null;
