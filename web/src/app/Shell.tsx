import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { useShortcuts } from '../ui/shortcuts.ts';
import { useEvents } from './events.tsx';
import { isAdmin, isAgent, signOut, useMe } from './session.tsx';

const ShortcutsDialog = lazy(() => import('../features/tickets/ShortcutsDialog.tsx'));
const PanicTakeover = lazy(() => import('../features/panic/PanicTakeover.tsx'));

/** The frame of every signed-in screen: navigation, connection state, shortcuts, panic takeover. */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const { status, panics } = useEvents();
  const [showShortcuts, setShowShortcuts] = useState(false);
  const agent = isAgent(me);
  useShortcuts({ '?': () => setShowShortcuts(true) }, agent);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">Casebook</span>
        <nav aria-label={t('nav.label')}>
          {agent ? (
            <>
              <NavLink to="/queues/all-open" className={({ isActive }) => (isActive || location.pathname.startsWith('/queues') ? 'active' : '')}>
                {t('nav.queues')}
              </NavLink>
              <NavLink to="/workload">{t('nav.workload')}</NavLink>
              {isAdmin(me) && <NavLink to="/admin">{t('nav.admin')}</NavLink>}
            </>
          ) : (
            <>
              <NavLink to="/portal" end>
                {t('nav.myCases')}
              </NavLink>
              <NavLink to="/portal/new">{t('nav.newCase')}</NavLink>
            </>
          )}
          <NavLink to="/profile">{t('nav.profile')}</NavLink>
        </nav>
        <div className="topbar-end">
          {agent && (
            <button type="button" className="button ghost small" onClick={() => setShowShortcuts(true)} aria-keyshortcuts="?">
              {t('shortcuts.button')}
            </button>
          )}
          <span className="who" title={me.email}>
            {me.name}
          </span>
          <button
            type="button"
            className="button ghost small"
            onClick={() => {
              void signOut().finally(() => navigate('/'));
            }}
          >
            {t('auth.signOut')}
          </button>
        </div>
      </header>
      {status === 'reconnecting' && (
        <div className="banner warning" role="status">
          {t('events.reconnecting')}
        </div>
      )}
      {children}
      <Suspense fallback={null}>
        {showShortcuts && <ShortcutsDialog open={showShortcuts} onOpenChange={setShowShortcuts} />}
        {agent && panics.length > 0 && <PanicTakeover />}
      </Suspense>
    </>
  );
}
