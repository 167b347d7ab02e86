export * from './notifications.types.ts';
export { notifyUsers, deliveryTime } from './notify-users.ts';
export { listNotifications, ListNotificationsQuery, markRead, MarkReadInput } from './list-notifications.ts';
export { deliverEmailNotifications, startEmailNotificationJob, type EmailNotificationJob, type EmailNotificationResult } from './deliver-email-notifications.ts';
