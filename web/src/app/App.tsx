import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { MagicLinkPage } from '../features/auth/MagicLinkPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { Loading } from '../ui/Loading.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { EventsProvider } from './events.tsx';
import { setLanguage } from './i18n.ts';
import { isAdmin, isAgent, SessionContext, useSessionQuery } from './session.tsx';
import { Shell } from './Shell.tsx';

const QueuePage = lazy(() => import('../features/tickets/QueuePage.tsx'));
const CasePage = lazy(() => import('../features/tickets/CasePage.tsx'));
const OrganizationPage = lazy(() => import('../features/accounts/OrganizationPage.tsx'));
const WorkloadPage = lazy(() => import('../features/routing/WorkloadPage.tsx'));
const ProfilePage = lazy(() => import('../features/identity/ProfilePage.tsx'));
const PortalHome = lazy(() => import('../features/portal/PortalHome.tsx'));
const PortalCasePage = lazy(() => import('../features/portal/PortalCasePage.tsx'));
const NewCasePage = lazy(() => import('../features/portal/NewCasePage.tsx'));
const PanicPage = lazy(() => import('../features/panic/PanicPage.tsx'));
const AdminPage = lazy(() => import('../features/admin/AdminPage.tsx'));

function NotFound() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page">
      <h1>{t('common.notFound')}</h1>
    </main>
  );
}

export function App() {
  const session = useSessionQuery();
  const location = useLocation();
  const me = session.data;
  useEffect(() => {
    if (me) void setLanguage(me.locale);
  }, [me?.locale]); // eslint-disable-line react-hooks/exhaustive-deps

  // The e-mailed sign-in link works whether or not someone is signed in on this browser.
  if (location.pathname.startsWith('/auth/magic/')) {
    return (
      <Routes>
        <Route path="/auth/magic/:token" element={<MagicLinkPage />} />
      </Routes>
    );
  }
  if (session.isPending) return <Loading />;
  if (session.isError) {
    return (
      <main id="main" className="page narrow">
        <h1>Casebook</h1>
        <ErrorMessage error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  if (!me) return <SignInPage />;

  const agent = isAgent(me);
  return (
    <SessionContext.Provider value={me}>
      <EventsProvider isAgent={agent}>
        <Shell>
          <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<Loading />}>
            {agent ? (
              <Routes>
                <Route path="/" element={<Navigate to="/queues/all-open" replace />} />
                <Route path="/sign-in" element={<Navigate to="/queues/all-open" replace />} />
                <Route path="/queues/:view" element={<QueuePage />} />
                <Route path="/cases/:id" element={<CasePage />} />
                <Route path="/organizations/:id" element={<OrganizationPage />} />
                <Route path="/workload" element={<WorkloadPage />} />
                {isAdmin(me) && <Route path="/admin/*" element={<AdminPage />} />}
                <Route path="/profile" element={<ProfilePage />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            ) : (
              <Routes>
                <Route path="/" element={<Navigate to="/portal" replace />} />
                <Route path="/sign-in" element={<Navigate to="/portal" replace />} />
                <Route path="/portal" element={<PortalHome />} />
                <Route path="/portal/new" element={<NewCasePage />} />
                <Route path="/portal/cases/:id" element={<PortalCasePage />} />
                <Route path="/portal/panic" element={<PanicPage />} />
                <Route path="/profile" element={<ProfilePage />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            )}
          </Suspense>
          </ErrorBoundary>
        </Shell>
      </EventsProvider>
    </SessionContext.Provider>
  );
}
