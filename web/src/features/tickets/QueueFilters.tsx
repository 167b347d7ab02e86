import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, STATUSES, type Organization, type User } from '../../app/api.types.ts';
import { SelectField } from '../../ui/SelectField.tsx';
import { usePlans } from './views.api.ts';

/** A free-text filter (tag, product) that applies on Enter or when the field loses focus. */
function TextFilter(props: { label: string; name: string; value: string; onApply(value: string): void }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    if (draft.trim() !== props.value) props.onApply(draft.trim());
  };
  return (
    <form className="field inline" onSubmit={apply}>
      <label htmlFor={`filter-${props.name}`}>{props.label}</label>
      <input id={`filter-${props.name}`} name={props.name} type="search" size={10} value={draft} onChange={(event) => setDraft(event.target.value)} onBlur={() => apply()} />
    </form>
  );
}

/** Sort and every queue filter; the values live in the URL so a reload or a shared link shows the same queue. */
export function QueueFilters(props: { search: URLSearchParams; setFilter(key: string, value: string): void; organizations: Organization[] | undefined; users: Map<string, User> | undefined }) {
  const { t } = useTranslation();
  const plans = usePlans();
  const value = (key: string) => props.search.get(key) ?? '';
  const agents = [...(props.users?.values() ?? [])].filter((user) => user.kind === 'agent').sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="filters">
      <SelectField label={t('queue.sort')} inline value={value('sort') || 'priority'} onChange={(event) => props.setFilter('sort', event.target.value === 'priority' ? '' : event.target.value)}>
        <option value="priority">{t('queue.sortBy.priority')}</option>
        <option value="age">{t('queue.sortBy.age')}</option>
        <option value="updated">{t('queue.sortBy.updated')}</option>
        <option value="sla-due">{t('queue.sortBy.slaDue')}</option>
      </SelectField>
      <SelectField label={t('ticket.priority')} inline value={value('priority')} onChange={(event) => props.setFilter('priority', event.target.value)}>
        <option value="">{t('queue.any')}</option>
        {PRIORITIES.map((priority) => (
          <option key={priority} value={priority}>
            {priority}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('ticket.status')} inline value={value('status')} onChange={(event) => props.setFilter('status', event.target.value)}>
        <option value="">{t('queue.any')}</option>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {t(`status.${status}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('ticket.organization')} inline value={value('organizationId')} onChange={(event) => props.setFilter('organizationId', event.target.value)}>
        <option value="">{t('queue.any')}</option>
        {props.organizations?.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('queue.plan')} inline value={value('plan')} onChange={(event) => props.setFilter('plan', event.target.value)}>
        <option value="">{t('queue.any')}</option>
        {plans.data?.map((plan) => (
          <option key={plan.id} value={plan.code}>
            {plan.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('ticket.assignee')} inline value={value('assigneeId')} onChange={(event) => props.setFilter('assigneeId', event.target.value)}>
        <option value="">{t('queue.any')}</option>
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.name}
          </option>
        ))}
      </SelectField>
      <TextFilter label={t('ticket.product')} name="product" value={value('product')} onApply={(product) => props.setFilter('product', product)} />
      <TextFilter label={t('queue.tag')} name="tag" value={value('tag')} onApply={(tag) => props.setFilter('tag', tag.toLowerCase())} />
    </div>
  );
}
