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

/** The admin lists' table: a hidden caption, one header per column, and a last, unlabelled column for row buttons. */
export function AdminTable({ caption, columns, actions = false, children }: { caption: string; columns: string[]; actions?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <table className="queue-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">{t('admin.actions')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
