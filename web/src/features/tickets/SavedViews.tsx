import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import type { QueueFilters, SavedView } from '../../app/api.types.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useQueue } from './tickets.api.ts';
import { FILTER_KEYS, useDeleteView, useSaveView, useViews, viewLocation } from './views.api.ts';

function SavedViewTab({ view }: { view: SavedView }) {
  const { t } = useTranslation();
  const location = useLocation();
  const remove = useDeleteView();
  const to = viewLocation(view);
  const filters = Object.fromEntries(FILTER_KEYS.map((key) => [key, [view.filters[key] ?? []].flat().join(',')]));
  const queue = useQueue({ view: view.filters.view ?? 'all-open', sort: view.sort, ...filters });
  const isCurrent = `${location.pathname}${location.search}` === to;
  return (
    <div className="saved-view">
      <Link to={to} className={`view-tab${isCurrent ? ' active' : ''}`} aria-current={isCurrent ? 'page' : undefined}>
        <span>{view.name}</span>
        <span className="count" aria-label={t('queue.count', { count: queue.data?.items.length ?? 0 })}>
          {queue.data ? `${queue.data.items.length}${queue.data.nextCursor ? '+' : ''}` : '…'}
        </span>
      </Link>
      <button type="button" className="tag-remove" aria-label={t('views.delete', { name: view.name })} disabled={remove.isPending} onClick={() => view.id && remove.mutate(view.id)}>
        ×
      </button>
    </div>
  );
}

/** The agent's own saved views, under the built-in ones. */
export function SavedViewsNav() {
  const { t } = useTranslation();
  const views = useViews();
  const mine = views.data?.filter((view) => !view.builtIn) ?? [];
  if (mine.length === 0) return null;
  return (
    <div className="saved-views" role="group" aria-label={t('views.mine')}>
      <p className="views-heading">{t('views.mine')}</p>
      {mine.map((view) => (
        <SavedViewTab key={view.slug} view={view} />
      ))}
    </div>
  );
}

/** "Save view": names the queue's current filters and sort. */
export function SaveViewButton({ view, search }: { view: string; search: URLSearchParams }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveView();
  const [isOpen, setOpen] = useState(false);
  const [name, setName] = useState('');
  const filters: QueueFilters = { view: view === 'breaching-soon' ? 'all-open' : view };
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) filters[key] = value;
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { name: name.trim(), filters, sort: search.get('sort') || 'priority' },
      {
        onSuccess: (saved) => {
          setOpen(false);
          setName('');
          void navigate(viewLocation(saved));
        },
      },
    );
  };
  return (
    <>
      <button
        type="button"
        className="button small"
        onClick={() => {
          save.reset();
          setOpen(true);
        }}
      >
        {t('views.save')}
      </button>
      <Dialog open={isOpen} onOpenChange={setOpen} title={t('views.saveTitle')} description={t('views.saveDescription')}>
        <form onSubmit={submit}>
          <label className="field">
            <span>{t('views.name')}</span>
            <input required maxLength={80} autoFocus value={name} onChange={(event) => setName(event.target.value)} />
          </label>
          {save.isError && <ErrorMessage error={save.error} />}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button primary" disabled={save.isPending || name.trim() === ''}>
              {t('views.saveAction')}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
