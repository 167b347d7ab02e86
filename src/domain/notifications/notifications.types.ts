import { z } from 'zod';

export const NOTIFICATION_KINDS = ['sla.warning', 'sla.breach', 'panic', 'case.new-subscribed', 'case.escalated'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const Notification = z.object({
  id: z.uuid(),
  kind: z.string(),
  ticketId: z.uuid().nullable(),
  channel: z.enum(['in-app', 'email']),
  payload: z.record(z.string(), z.unknown()),
  deliverAfter: z.string(),
  deliveredAt: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;

export type NotifyRequest = {
  userIds: string[];
  kind: NotificationKind;
  ticketId: string | null;
  payload: Record<string, unknown>;
  /** Same key, same user, same channel: stored once (retries and several timer processes). */
  dedupeKey: string;
  /** Urgent notices go out at once; others wait for the recipient's next working moment (e-mail only). */
  isUrgent: boolean;
  channels?: ('in-app' | 'email')[];
};
