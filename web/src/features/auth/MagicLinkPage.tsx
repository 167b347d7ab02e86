import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { consumeMagicLink } from '../../app/session.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Loading } from '../../ui/Loading.tsx';

/** /auth/magic/:token — the link from the e-mail: signs in once, then goes home (agents to their queues, customers to the portal). */
export function MagicLinkPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // a link works once: never consume it twice (StrictMode, re-renders)
    started.current = true;
    consumeMagicLink(token).then(
      (user) => void navigate(user.kind === 'agent' ? '/queues/all-open' : '/portal', { replace: true }),
      (caught: unknown) => setError(caught),
    );
  }, [token, navigate]);

  if (error === null) return <Loading />;
  return (
    <main id="main" className="sign-in">
      <div className="card sign-in-card">
        <p className="brand large">Casebook</p>
        <h1>{t('auth.magicFailedTitle')}</h1>
        <ErrorMessage error={error} />
        <button type="button" className="button primary wide" onClick={() => void navigate('/sign-in', { replace: true })}>
          {t('auth.magicAskAgain')}
        </button>
      </div>
    </main>
  );
}
