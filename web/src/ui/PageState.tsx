import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage.tsx';
import { Loading } from './Loading.tsx';

/** What a screen shows while its main query loads or after it failed (with a retry); null once there is data. */
export function pageState(query: UseQueryResult<unknown>, className = 'page'): ReactNode | null {
  if (query.isPending) return <Loading />;
  if (query.isError) {
    return (
      <main id="main" className={className}>
        <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />
      </main>
    );
  }
  return null;
}
