import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { signIn } from '../../app/session.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

/** Email and password sign-in; failures show the API's code as a sentence. */
export function SignInPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <p className="brand large">Casebook</p>
        <h1 id="sign-in-title">{t('auth.title')}</h1>
        <p className="muted">{t('auth.subtitle')}</p>
        <label className="field">
          <span>{t('auth.email')}</span>
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label className="field">
          <span>{t('auth.password')}</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {error !== null && <ErrorMessage error={error} />}
        <button type="submit" className="button primary wide" disabled={isBusy}>
          {isBusy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
    </main>
  );
}
