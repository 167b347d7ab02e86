import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../ui/format.ts';
import { usePanicHistory } from './admin.api.ts';
import { adminState, NotAvailable } from './AdminState.tsx';

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
          <table className="queue-table">
            <caption className="visually-hidden">{t('admin.panic.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.panic.when')}</th>
                <th scope="col">{t('admin.panic.organization')}</th>
                <th scope="col">{t('admin.panic.pressedBy')}</th>
                <th scope="col">{t('admin.panic.case')}</th>
                <th scope="col">{t('admin.panic.description')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        ))}
      {history.data?.nextCursor && <p className="muted">{t('admin.panic.more')}</p>}
    </>
  );
}
