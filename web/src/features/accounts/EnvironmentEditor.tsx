import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import type { EnvironmentComponent, EnvironmentProfile } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

const FIELDS = ['product', 'version', 'database', 'databaseVersion', 'os', 'osVersion', 'specialConfiguration'] as const;

/** Edits the environment profile; saving records a new version (earlier ones stay, cases point at them). */
export function EnvironmentEditor({ organizationId, current, onDone }: { organizationId: string; current: EnvironmentProfile | undefined; onDone(): void }) {
  const { t } = useTranslation();
  const [components, setComponents] = useState<EnvironmentComponent[]>(current?.components ?? [{ product: '' }]);
  const [notes, setNotes] = useState(current?.notes ?? '');
  const save = useMutation({
    mutationFn: () => {
      const cleaned = components
        .filter((component) => component.product.trim())
        .map((component) => Object.fromEntries(Object.entries(component).filter(([, value]) => typeof value === 'string' && value.trim() !== '')) as EnvironmentComponent);
      return api<EnvironmentProfile>(`/organizations/${organizationId}/environment`, { method: 'PUT', body: { components: cleaned, notes } });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['environment', organizationId] });
      void queryClient.invalidateQueries({ queryKey: ['organization', organizationId] });
      onDone();
    },
  });
  const change = (index: number, field: (typeof FIELDS)[number], value: string) => setComponents((list) => list.map((component, at) => (at === index ? { ...component, [field]: value } : component)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="environment-editor" onSubmit={submit}>
      {components.map((component, index) => (
        <fieldset key={index} className="component-fields">
          <legend>{component.product || t('environment.newComponent')}</legend>
          {FIELDS.map((field) => (
            <label key={field} className={`field ${field === 'specialConfiguration' ? 'wide' : ''}`}>
              <span>{t(`environment.fields.${field}`)}</span>
              {field === 'specialConfiguration' ? (
                <textarea rows={2} value={component[field] ?? ''} onChange={(event) => change(index, field, event.target.value)} />
              ) : (
                <input value={component[field] ?? ''} required={field === 'product'} onChange={(event) => change(index, field, event.target.value)} />
              )}
            </label>
          ))}
          <button type="button" className="button small" onClick={() => setComponents((list) => list.filter((_, at) => at !== index))}>
            {t('environment.removeComponent')}
          </button>
        </fieldset>
      ))}
      <button type="button" className="button small" onClick={() => setComponents((list) => [...list, { product: '' }])}>
        {t('environment.addComponent')}
      </button>
      <label className="field">
        <span>{t('environment.notes')}</span>
        <textarea rows={3} value={notes} onChange={(event) => setNotes(event.target.value)} />
      </label>
      {save.isError && <ErrorMessage error={save.error} />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button primary" disabled={save.isPending}>
          {t('environment.saveVersion')}
        </button>
      </div>
    </form>
  );
}
