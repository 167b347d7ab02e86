import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Loading } from '../../ui/Loading.tsx';

/** Inside the admin area (which holds the page's <main>): loading, or the failure with a retry; null once there is data. */
export function adminState(query: UseQueryResult<unknown>): ReactNode | null {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  return null;
}

/** What a screen says when its API is not deployed on this server (404 ROUTE_NOT_FOUND). */
export function NotAvailable({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <p className="notice" role="status">
      {t('admin.notAvailable', { what })}
    </p>
  );
}
