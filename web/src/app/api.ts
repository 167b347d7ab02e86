/** The one way the app talks to the Casebook API: JSON, the session cookie, and the CSRF header on writes. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const CSRF_KEY = 'casebook.csrf';

export function setCsrfToken(token: string | null): void {
  if (token) localStorage.setItem(CSRF_KEY, token);
  else localStorage.removeItem(CSRF_KEY);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function api<T>(path: string, options: { method?: Method; body?: unknown } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = localStorage.getItem(CSRF_KEY);
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.');
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, error.code ?? 'INTERNAL_ERROR', error.message ?? response.statusText);
  }
  return data as T;
}

/** For routes other engineers are still adding: a 404 ROUTE_NOT_FOUND means "not here yet" (null). */
export async function optionalApi<T>(path: string): Promise<T | null> {
  try {
    return await api<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'ROUTE_NOT_FOUND') return null;
    throw error;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** Uploads one file as a raw body (POST /attachments?filename=…); the id goes into a message. */
export async function uploadFile<T>(file: File): Promise<T> {
  const headers: Record<string, string> = { 'content-type': file.type || 'application/octet-stream' };
  const csrf = localStorage.getItem(CSRF_KEY);
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(`/api/v1/attachments?filename=${encodeURIComponent(file.name)}`, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.');
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, error.code ?? 'INTERNAL_ERROR', error.message ?? response.statusText);
  }
  return data as T;
}
