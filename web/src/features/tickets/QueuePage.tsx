import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../app/api.ts';
import type { Organization, Page } from '../../app/api.types.ts';
import { useMe } from '../../app/session.tsx';
import { PriorityBadge, StatusBadge } from '../../ui/Badges.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useFormat } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { useShortcuts } from '../../ui/shortcuts.ts';
import { BulkActions } from './BulkActions.tsx';
import { useBreachingSoon, useQueue, useUsers, type BreachingItem } from './tickets.api.ts';
import { QueueFilters } from './QueueFilters.tsx';
import { SavedViewsNav, SaveViewButton } from './SavedViews.tsx';
import { useViews, viewLocation } from './views.api.ts';

export const QUEUE_VIEWS = ['mine', 'team', 'unassigned', 'premium', 'pending-customer', 'all-open'] as const;

export function useOrganizations() {
  return useQuery({ queryKey: ['organizations'], queryFn: () => api<Page<Organization>>('/organizations?limit=200').then((page) => page.items), staleTime: 5 * 60_000 });
}

function BreachingTab() {
  const { t } = useTranslation();
  const breaching = useBreachingSoon();
  if (!breaching.data) return null; // SLA not deployed here
  return (
    <NavLink to="/queues/breaching-soon" className="view-tab">
      <span>{t('queue.views.breaching-soon')}</span>
      <span className="count">{breaching.data.length}</span>
    </NavLink>
  );
}

function ViewTab({ view }: { view: string }) {
  const { t } = useTranslation();
  const queue = useQueue({ view, sort: 'priority' });
  const count = queue.data ? `${queue.data.items.length}${queue.data.nextCursor ? '+' : ''}` : '…';
  return (
    <NavLink to={`/queues/${view}`} className="view-tab">
      <span>{t(`queue.views.${view}`)}</span>
      <span className="count" aria-label={t('queue.count', { count: queue.data?.items.length ?? 0 })}>
        {count}
      </span>
    </NavLink>
  );
}

/** The agent's queues: saved views with counts, sort and filters, live through the event stream. */
export default function QueuePage() {
  const { t } = useTranslation();
  const { view = 'all-open' } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const format = useFormat();
  const sort = search.get('sort') || 'priority';
  const priority = search.get('priority') ?? '';
  const status = search.get('status') ?? '';
  const organizationId = search.get('organizationId') ?? '';
  const assigneeId = search.get('assigneeId') ?? '';
  const tag = search.get('tag') ?? '';
  const product = search.get('product') ?? '';
  const plan = search.get('plan') ?? '';
  const isBreachingView = view === 'breaching-soon';
  const location = useLocation();
  const savedView = useViews().data?.find((candidate) => !candidate.builtIn && viewLocation(candidate) === `${location.pathname}${location.search}`);
  const queue = useQueue({ view: isBreachingView ? 'all-open' : view, sort, priority, status, organizationId, assigneeId, tag, product, plan });
  const breaching = useBreachingSoon();
  const dueOf = new Map<string, BreachingItem>((breaching.data ?? []).map((item) => [item.ticketId, item]));
  const organizations = useOrganizations();
  const users = useUsers();
  const [selected, setSelected] = useState(0);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const listed = queue.data?.items ?? [];
  const items = isBreachingView ? listed.filter((ticket) => dueOf.has(ticket.id)).sort((a, b) => dueOf.get(a.id)!.dueAt.localeCompare(dueOf.get(b.id)!.dueAt)) : listed;
  const orgName = (id: string) => organizations.data?.find((org) => org.id === id)?.name ?? '—';

  useEffect(() => {
    setSelected(0);
    setChecked(new Set());
  }, [view, sort, priority, status, organizationId, assigneeId, tag, product, plan]);
  const toggle = (id: string) =>
    setChecked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  useShortcuts({
    j: () => setSelected((index) => Math.min(index + 1, items.length - 1)),
    k: () => setSelected((index) => Math.max(index - 1, 0)),
    o: () => items[selected] && navigate(`/cases/${items[selected].id}`),
    x: () => items[selected] && toggle(items[selected].id),
    Enter: () => items[selected] && navigate(`/cases/${items[selected].id}`),
  });

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };

  return (
    <main id="main" className="page queue-page">
      <nav className="views" aria-label={t('queue.viewsLabel')}>
        {QUEUE_VIEWS.map((name) => (
          <ViewTab key={name} view={name} />
        ))}
        <BreachingTab />
        <SavedViewsNav />
      </nav>
      <section className="queue" aria-labelledby="queue-title">
        <div className="queue-head">
          <h1 id="queue-title">{savedView?.name ?? t(`queue.views.${view}`)}</h1>
          <QueueFilters search={search} setFilter={setFilter} organizations={organizations.data} users={users.data} />
          <SaveViewButton view={view} search={search} />
        </div>
        {queue.isPending && <Loading />}
        {queue.isError && <ErrorMessage error={queue.error} onRetry={() => void queue.refetch()} />}
        {queue.data && items.length === 0 && <p className="empty">{t('queue.empty')}</p>}
        <BulkActions selected={items.filter((ticket) => checked.has(ticket.id))} meId={me.id} onDone={() => setChecked(new Set())} />
        {items.length > 0 && (
          <table className="queue-table">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={t('bulk.selectAll')}
                    checked={checked.size > 0 && items.every((ticket) => checked.has(ticket.id))}
                    onChange={(event) => setChecked(event.target.checked ? new Set(items.map((ticket) => ticket.id)) : new Set())}
                  />
                </th>
                <th scope="col">#</th>
                <th scope="col">{t('ticket.subject')}</th>
                <th scope="col">{t('ticket.organization')}</th>
                <th scope="col">{t('ticket.priority')}</th>
                <th scope="col">{t('ticket.status')}</th>
                <th scope="col">{t('ticket.assignee')}</th>
                <th scope="col">{t('ticket.age')}</th>
                {isBreachingView && <th scope="col">{t('queue.slaDue')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((ticket, index) => (
                <tr key={ticket.id} className={index === selected ? 'selected' : undefined} data-ticket-number={ticket.number}>
                  <td>
                    <input type="checkbox" aria-label={t('bulk.select', { number: ticket.number })} checked={checked.has(ticket.id)} onChange={() => toggle(ticket.id)} />
                  </td>
                  <td className="number">#{ticket.number}</td>
                  <td>
                    <Link to={`/cases/${ticket.id}`} className="subject-link">
                      {ticket.isPanic && <span className="badge panic">{t('panic.badge')}</span>} {ticket.subject}
                    </Link>
                  </td>
                  <td>{orgName(ticket.organizationId)}</td>
                  <td>
                    <PriorityBadge priority={ticket.priority} />
                  </td>
                  <td>
                    <StatusBadge status={ticket.status} />
                  </td>
                  <td>{ticket.assigneeId ? ticket.assigneeId === me.id ? t('ticket.me') : (users.data?.get(ticket.assigneeId)?.name ?? '…') : <span className="muted">{t('ticket.unassigned')}</span>}</td>
                  <td>
                    <time dateTime={ticket.createdAt} title={format.dateTime(ticket.createdAt)}>
                      {format.age(ticket.createdAt)}
                    </time>
                  </td>
                  {isBreachingView && (
                    <td>
                      {t(`sla.kind.${dueOf.get(ticket.id)!.kind}`)} — <time dateTime={dueOf.get(ticket.id)!.dueAt}>{format.age(dueOf.get(ticket.id)!.dueAt)}</time>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
