export * from './subscriptions.types.ts';
export { SUBSCRIPTIONS_ERRORS, subscriptionsError, type SubscriptionsErrorCode } from './subscriptions.errors.ts';
export { canSubscriptions } from './subscriptions.policy.ts';
export { subscribeToOrganization, unsubscribeFromOrganization, listSubscriptions, followedOrganizationIds } from './manage-subscriptions.ts';
export { notifySubscribersOfNewCase, subscriptionsHandler } from './notify-subscribers.ts';
