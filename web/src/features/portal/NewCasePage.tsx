import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { PRIORITIES, type Priority, type Ticket } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';
import { useMe } from '../../app/session.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useEnvironment } from '../accounts/accounts.api.ts';

/** Open a case: product (from the organisation's environment), priority explained, description. */
export default function NewCasePage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const environment = useEnvironment(me.organizationId ?? undefined);
  const products = environment.data?.components.map((component) => component.product) ?? [];
  const [subject, setSubject] = useState('');
  const [product, setProduct] = useState('');
  const [priority, setPriority] = useState<Priority>('P3');
  const [body, setBody] = useState('');
  const create = useMutation({
    mutationFn: () => api<Ticket>('/tickets', { method: 'POST', body: { subject: subject.trim(), body, priority, product: product || null, channel: 'portal' } }),
    onSuccess: (ticket) => {
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      navigate(`/portal/cases/${ticket.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <main id="main" className="page portal narrow">
      <h1>{t('newCase.title')}</h1>
      <form className="card form" onSubmit={submit}>
        <label className="field">
          <span>{t('ticket.subject')}</span>
          <input required maxLength={300} value={subject} onChange={(event) => setSubject(event.target.value)} />
        </label>
        <div className="field">
          <label htmlFor="new-case-product">{t('ticket.product')}</label>
          <select id="new-case-product" value={product} onChange={(event) => setProduct(event.target.value)}>
            <option value="">{t('newCase.otherProduct')}</option>
            {products.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="priority-choice">
          <legend>{t('ticket.priority')}</legend>
          {PRIORITIES.map((value) => (
            <label key={value} className={`choice ${priority === value ? 'checked' : ''}`}>
              <input type="radio" name="priority" value={value} checked={priority === value} onChange={() => setPriority(value)} />
              <span>
                <strong>
                  {value} — {t(`priority.short.${value}`)}
                </strong>
                <span className="muted block">{t(`priority.explain.${value}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('newCase.description')}</span>
          <textarea required rows={7} value={body} onChange={(event) => setBody(event.target.value)} placeholder={t('newCase.descriptionHint')} />
        </label>
        {create.isError && <ErrorMessage error={create.error} />}
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t('newCase.submit')}
        </button>
      </form>
    </main>
  );
}
