/**
 * A failure the caller can act on, with a stable SCREAMING_SNAKE code. Contexts declare their codes
 * in `<context>.errors.ts`; http/error-map.ts is the one place that turns a code into a status.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** The raise function of a context: `const ticketsError = errorFactory(TICKETS_ERRORS)`. */
export function errorFactory<Messages extends Record<string, string>>(messages: Messages) {
  return (code: keyof Messages & string, details?: Record<string, unknown>): DomainError => new DomainError(code, messages[code]!, details);
}
