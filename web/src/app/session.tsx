import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, isApiError, setCsrfToken } from './api.ts';
import type { User } from './api.types.ts';
import { queryClient } from './query-client.ts';

export const SessionContext = createContext<User | null>(null);

/** The signed-in user (inside the signed-in part of the app). */
export function useMe(): User {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside a session');
  return me;
}

export function isAgent(user: User): boolean {
  return user.kind === 'agent';
}

/** Admins see the admin area (the server enforces the same on every admin route). */
export function isAdmin(user: User): boolean {
  return user.kind === 'agent' && user.roles.includes('admin');
}

/** GET /me, with "not signed in" as null rather than an error. */
export function useSessionQuery() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<User>('/me');
      } catch (error) {
        if (isApiError(error, 'AUTH_REQUIRED')) return null;
        throw error;
      }
    },
    retry: false,
    staleTime: 60_000,
  });
}

/** Another user's data must not survive a sign-in or sign-out; the session query itself stays observed. */
function forgetEverythingButMe(): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
}

export async function signIn(email: string, password: string): Promise<User> {
  const result = await api<{ user: User; csrfToken: string }>('/auth/login', { method: 'POST', body: { email, password } });
  setCsrfToken(result.csrfToken);
  forgetEverythingButMe();
  queryClient.setQueryData(['me'], result.user);
  return result.user;
}

/** Asks for an e-mailed sign-in link; the answer is the same whether or not the address has an account. */
export async function requestMagicLink(email: string): Promise<void> {
  await api('/auth/magic-link', { method: 'POST', body: { email } });
}

/** Trades the token of an e-mailed link for a session, exactly like a password sign-in. */
export async function consumeMagicLink(token: string): Promise<User> {
  const result = await api<{ user: User; csrfToken: string }>('/auth/magic-link/consume', { method: 'POST', body: { token } });
  setCsrfToken(result.csrfToken);
  forgetEverythingButMe();
  queryClient.setQueryData(['me'], result.user);
  return result.user;
}

export async function signOut(): Promise<void> {
  try {
    await api('/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(null);
    forgetEverythingButMe();
    queryClient.setQueryData(['me'], null);
  }
}
