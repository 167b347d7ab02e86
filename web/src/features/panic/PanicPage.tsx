import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../app/api.ts';
import type { PanicPress } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';
import { useMe } from '../../app/session.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { usePanicQuota } from './panic.api.ts';

/** The panic button: describe the emergency, confirm knowing what happens and what is left, then a clear confirmation. */
export default function PanicPage() {
  const { t } = useTranslation();
  const me = useMe();
  const quota = usePanicQuota(me.organizationId);
  const [description, setDescription] = useState('');
  const [isConfirming, setConfirming] = useState(false);
  const press = useMutation({
    mutationFn: () => api<PanicPress>('/panic', { method: 'POST', body: { description: description.trim() } }),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: ['panic-quota'] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });

  if (quota.isPending) return <Loading />;
  if (quota.isError) return <main id="main" className="page portal narrow"><ErrorMessage error={quota.error} /></main>;

  if (press.data) {
    const result = press.data;
    return (
      <main id="main" className="page portal narrow">
        <section className="card panic-done" role="status" aria-labelledby="panic-done-title">
          <h1 id="panic-done-title">{t('panic.doneTitle')}</h1>
          <p>{t('panic.doneText', { number: result.ticket.number })}</p>
          <p className="muted">{result.quota.remaining === null ? t('panic.unlimited') : t('panic.remaining', { count: result.quota.remaining })}</p>
          <Link className="button primary" to={`/portal/cases/${result.ticket.id}`}>
            {t('panic.followCase', { number: result.ticket.number })}
          </Link>
        </section>
      </main>
    );
  }

  const data = quota.data;
  if (!data?.entitled) {
    return (
      <main id="main" className="page portal narrow">
        <h1>{t('panic.title')}</h1>
        <p>{t('panic.notEntitled')}</p>
      </main>
    );
  }
  const exhausted = data.remaining === 0;
  const remainingText = data.remaining === null ? t('panic.unlimited') : t('panic.remaining', { count: data.remaining });
  return (
    <main id="main" className="page portal narrow">
      <h1>{t('panic.title')}</h1>
      <section className="card panic-form">
        <p>{t('panic.what')}</p>
        <p className="quota">
          <strong>{remainingText}</strong>
          {data.renewsOn && <span className="muted"> · {t('panic.renews', { date: data.renewsOn })}</span>}
        </p>
        <label className="field">
          <span>{t('panic.describe')}</span>
          <textarea rows={4} value={description} onChange={(event) => setDescription(event.target.value)} maxLength={2000} placeholder={t('panic.describeHint')} />
        </label>
        <button type="button" className="button danger big" disabled={exhausted || !description.trim()} onClick={() => setConfirming(true)}>
          {t('panic.button')}
        </button>
        {exhausted && <p className="error-message">{t('errors.PANIC_QUOTA_EXHAUSTED')}</p>}
      </section>
      <Dialog open={isConfirming} onOpenChange={setConfirming} title={t('panic.confirmTitle')} description={t('panic.confirmText')} className="danger">
        <p>
          <strong>{remainingText}</strong> {data.remaining !== null && t('panic.afterThis', { count: Math.max(data.remaining - 1, 0) })}
        </p>
        {press.isError && <ErrorMessage error={press.error} />}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button danger" disabled={press.isPending} onClick={() => press.mutate()}>
            {t('panic.confirm')}
          </button>
        </div>
      </Dialog>
    </main>
  );
}
