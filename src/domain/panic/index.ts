export * from './panic.types.ts';
export { PANIC_ERRORS, panicError, type PanicErrorCode } from './panic.errors.ts';
export { canPanic } from './panic.policy.ts';
export { contractYear, calendarYear } from './contract-year.ts';
export { pressPanicButton } from './press-panic-button.ts';
export { getPanicQuota } from './read-panic-quota.ts';
export { listPanicHistory } from './list-panic-history.ts';
