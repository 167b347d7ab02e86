import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../ui/format.ts';
import { usePanicHistory } from './admin.api.ts';
import { adminState, NotAvailable, AdminTable } from './AdminState.tsx';

/** Every panic press: when (in the viewer's time zone), which organisation, who pressed, which case. */
export default function PanicHistoryPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const history = usePanicHistory();
  const state = adminState(history);
  return (
    <>
      <h1>{t('admin.panic.title')}</h1>
      {state ??
        (history.data === null ? (
          <NotAvailable what={t('admin.panic.title')} />
        ) : history.data!.items.length === 0 ? (
          <p className="empty">{t('admin.panic.none')}</p>
        ) : (
          <AdminTable caption={t('admin.panic.title')} columns={[t('admin.panic.when'), t('admin.panic.organization'), t('admin.panic.pressedBy'), t('admin.panic.case'), t('admin.panic.description')]}>
              {history.data!.items.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.createdAt}>{format.dateTime(event.createdAt)}</time>
                  </td>
                  <td>
                    <Link to={`/organizations/${event.organizationId}`}>{event.organizationName}</Link>
                  </td>
                  <td>
                    {event.pressedBy.name} <span className="muted">{event.pressedBy.email}</span>
                  </td>
                  <td>
                    <Link to={`/cases/${event.ticketId}`}>#{event.ticketNumber}</Link>
                  </td>
                  <td className="description">{event.description}</td>
                </tr>
              ))}
            </AdminTable>
        ))}
      {history.data?.nextCursor && <p className="muted">{t('admin.panic.more')}</p>}
    </>
  );
}
