import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api.ts';

/** One cache for the app. A 401 anywhere means the session ended: the app goes back to sign-in. */
export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error) => {
      if (isApiError(error, 'AUTH_REQUIRED')) queryClient.setQueryData(['me'], null);
    },
  }),
  defaultOptions: {
    queries: { staleTime: 15_000, retry: (count, error) => !isApiError(error) || (error.status >= 500 && count < 2), refetchOnWindowFocus: true },
  },
});
