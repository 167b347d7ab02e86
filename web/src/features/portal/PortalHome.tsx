import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../app/session.tsx';
import { PriorityBadge, StatusBadge } from '../../ui/Badges.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useFormat } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { usePanicQuota } from '../panic/panic.api.ts';
import { useQueue } from '../tickets/tickets.api.ts';

/** The customer's home: their organisation's cases (as the access rules allow) and, if entitled, the panic button. */
export default function PortalHome() {
  const { t } = useTranslation();
  const me = useMe();
  const format = useFormat();
  const cases = useQueue({ view: 'all', sort: 'updated' });
  const quota = usePanicQuota(me.organizationId);
  const items = cases.data?.items ?? [];
  const open = items.filter((ticket) => ticket.status !== 'solved' && ticket.status !== 'closed');
  const done = items.filter((ticket) => ticket.status === 'solved' || ticket.status === 'closed');

  const list = (tickets: typeof items) => (
    <ul className="case-cards">
      {tickets.map((ticket) => (
        <li key={ticket.id} className="case-card">
          <Link to={`/portal/cases/${ticket.id}`}>
            <span className="number">#{ticket.number}</span> {ticket.subject}
          </Link>
          <p className="case-card-meta">
            <PriorityBadge priority={ticket.priority} /> <StatusBadge status={ticket.status} /> <span className="muted">{t('portal.updated', { time: format.age(ticket.updatedAt) })}</span>
          </p>
        </li>
      ))}
    </ul>
  );

  return (
    <main id="main" className="page portal">
      <div className="portal-head">
        <h1>{t('portal.title')}</h1>
        <Link to="/portal/new" className="button primary">
          {t('nav.newCase')}
        </Link>
      </div>
      {quota.data?.entitled && (
        <section className="panic-entry" aria-labelledby="panic-entry-title">
          <h2 id="panic-entry-title">{t('panic.entryTitle')}</h2>
          <p>{t('panic.entryText')}</p>
          <Link to="/portal/panic" className="button danger">
            {t('panic.button')}
          </Link>
        </section>
      )}
      {cases.isPending && <Loading />}
      {cases.isError && <ErrorMessage error={cases.error} onRetry={() => void cases.refetch()} />}
      {cases.data && (
        <>
          <section aria-labelledby="open-cases">
            <h2 id="open-cases">{t('portal.openCases', { count: open.length })}</h2>
            {open.length ? list(open) : <p className="empty">{t('portal.noOpenCases')}</p>}
          </section>
          {done.length > 0 && (
            <section aria-labelledby="done-cases">
              <h2 id="done-cases">{t('portal.doneCases')}</h2>
              {list(done)}
            </section>
          )}
        </>
      )}
    </main>
  );
}
