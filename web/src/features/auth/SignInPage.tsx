import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { requestMagicLink, signIn } from '../../app/session.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

function EmailField({ email, setEmail }: { email: string; setEmail(email: string): void }) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{t('auth.email')}</span>
      <input type="email" name="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
    </label>
  );
}

/** The "email me a link" form and its confirmation (the same words whether or not the address exists). */
function MagicLinkForm({ email, setEmail, onBack }: { email: string; setEmail(email: string): void; onBack(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await requestMagicLink(email.trim());
      setSentTo(email.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <div className="card sign-in-card" role="status" aria-labelledby="magic-sent-title">
        <p className="brand large">Casebook</p>
        <h1 id="magic-sent-title">{t('auth.magicSentTitle')}</h1>
        <p>{t('auth.magicSent', { email: sentTo })}</p>
        <p className="muted">{t('auth.magicSentHint')}</p>
        <button type="button" className="button wide" onClick={onBack}>
          {t('auth.backToPassword')}
        </button>
      </div>
    );
  }
  return (
    <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="magic-title">
      <p className="brand large">Casebook</p>
      <h1 id="magic-title">{t('auth.magicTitle')}</h1>
      <p className="muted">{t('auth.magicSubtitle')}</p>
      <EmailField email={email} setEmail={setEmail} />
      {error !== null && <ErrorMessage error={error} />}
      <button type="submit" className="button primary wide" disabled={isBusy}>
        {isBusy ? t('auth.magicSending') : t('auth.magicSend')}
      </button>
      <button type="button" className="button plain wide" onClick={onBack}>
        {t('auth.backToPassword')}
      </button>
    </form>
  );
}

/** Email and password sign-in, or an e-mailed link; failures show the API's code as a sentence. */
export function SignInPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [isMagic, setMagic] = useState(false);

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

  if (isMagic) {
    return (
      <main id="main" className="sign-in">
        <MagicLinkForm email={email} setEmail={setEmail} onBack={() => setMagic(false)} />
      </main>
    );
  }
  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <p className="brand large">Casebook</p>
        <h1 id="sign-in-title">{t('auth.title')}</h1>
        <p className="muted">{t('auth.subtitle')}</p>
        <EmailField email={email} setEmail={setEmail} />
        <label className="field">
          <span>{t('auth.password')}</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {error !== null && <ErrorMessage error={error} />}
        <button type="submit" className="button primary wide" disabled={isBusy}>
          {isBusy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
        <p className="or">{t('auth.or')}</p>
        <button type="button" className="button wide" onClick={() => setMagic(true)}>
          {t('auth.magicLink')}
        </button>
      </form>
    </main>
  );
}
