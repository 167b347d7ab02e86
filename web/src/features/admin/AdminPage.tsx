import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { Loading } from '../../ui/Loading.tsx';

const UsersPage = lazy(() => import('./UsersPage.tsx'));
const TeamsPage = lazy(() => import('./TeamsPage.tsx'));
const PlansPage = lazy(() => import('./PlansPage.tsx'));
const CalendarsPage = lazy(() => import('./CalendarsPage.tsx'));
const CalendarPage = lazy(() => import('./CalendarPage.tsx'));
const MailboxesPage = lazy(() => import('./MailboxesPage.tsx'));
const PanicHistoryPage = lazy(() => import('./PanicHistoryPage.tsx'));

const SECTIONS = ['users', 'teams', 'plans', 'calendars', 'mailboxes', 'panic'] as const;

/** The admin area (admins only; the route exists only for them): one sub-navigation, one screen per section. */
export default function AdminPage() {
  const { t } = useTranslation();
  return (
    <div className="page admin-page">
      <nav className="admin-nav" aria-label={t('admin.nav')}>
        {SECTIONS.map((section) => (
          <NavLink key={section} to={`/admin/${section}`} className="view-tab">
            {t(`admin.sections.${section}`)}
          </NavLink>
        ))}
      </nav>
      <main id="main" className="admin-main">
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route index element={<Navigate to="users" replace />} />
            <Route path="users" element={<UsersPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="plans" element={<PlansPage />} />
            <Route path="calendars" element={<CalendarsPage />} />
            <Route path="calendars/:id" element={<CalendarPage />} />
            <Route path="mailboxes" element={<MailboxesPage />} />
            <Route path="panic" element={<PanicHistoryPage />} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}
