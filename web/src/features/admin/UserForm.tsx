import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import type { Organization } from '../../app/api.types.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { FormActions } from '../../ui/FormActions.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { useAdminMutation, type AdminUser } from './admin.api.ts';

export const AGENT_ROLES = ['admin', 'agent', 'tam', 'csm', 'am', 'renewal', 'sales', 'implementation'] as const;
export const CONTACT_ROLES = ['customer', 'customer-admin'] as const;
const LINES = ['L1', 'L2', 'L3'] as const;

type Kind = 'agent' | 'contact';

/** Creates a user (agent or customer contact) or edits one's roles, line, seniority and activation. */
export function UserForm({ user, organizations, onDone }: { user?: AdminUser; organizations: Organization[]; onDone(): void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>(user?.kind ?? 'agent');
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [roles, setRoles] = useState<string[]>(user?.roles ?? ['agent']);
  const [organizationId, setOrganizationId] = useState(user?.organizationId ?? '');
  const [senior, setSenior] = useState(user?.senior ?? false);
  const [supportLine, setSupportLine] = useState<string>(user?.supportLine ?? '');
  const [isActive, setIsActive] = useState(user?.isActive ?? true);
  const [password, setPassword] = useState('');
  const save = useAdminMutation(
    () => {
      const isAgent = kind === 'agent';
      const common = { name, roles, ...(isAgent && { senior, supportLine: supportLine || null }) };
      if (user) return api<AdminUser>(`/users/${user.id}`, { method: 'PATCH', body: { ...common, isActive } });
      return api<AdminUser>('/users', { method: 'POST', body: { ...common, email, ...(!isAgent && { organizationId }), ...(password && { password }) } });
    },
    [['users']],
  );
  const choices = kind === 'agent' ? AGENT_ROLES : CONTACT_ROLES;
  const switchKind = (next: Kind) => {
    setKind(next);
    setRoles(next === 'agent' ? ['agent'] : ['customer']);
  };
  const toggleRole = (role: string) => setRoles((current) => (current.includes(role) ? current.filter((item) => item !== role) : [...current, role]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(undefined, { onSuccess: onDone });
  };

  return (
    <form className="form" onSubmit={submit}>
      {!user && (
        <fieldset className="choice-row">
          <legend>{t('admin.users.kind')}</legend>
          {(['agent', 'contact'] as const).map((option) => (
            <label key={option}>
              <input type="radio" name="kind" value={option} checked={kind === option} onChange={() => switchKind(option)} /> {t(`admin.users.kinds.${option}`)}
            </label>
          ))}
        </fieldset>
      )}
      {!user && (
        <label className="field">
          <span>{t('admin.users.email')}</span>
          <input type="email" name="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
      )}
      <label className="field">
        <span>{t('admin.users.name')}</span>
        <input name="name" required value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      {!user && kind === 'contact' && (
        <SelectField label={t('admin.users.organization')} required value={organizationId} onChange={(event) => setOrganizationId(event.target.value)}>
          <option value="">{t('admin.users.chooseOrganization')}</option>
          {organizations.map((organization) => (
            <option key={organization.id} value={organization.id}>
              {organization.name}
            </option>
          ))}
        </SelectField>
      )}
      <fieldset className="choice-row">
        <legend>{t('admin.users.roles')}</legend>
        {choices.map((role) => (
          <label key={role}>
            <input type="checkbox" checked={roles.includes(role)} onChange={() => toggleRole(role)} /> {t(`admin.roleNames.${role}`)}
          </label>
        ))}
      </fieldset>
      {kind === 'agent' && (
        <>
          <SelectField label={t('admin.users.supportLine')} value={supportLine} onChange={(event) => setSupportLine(event.target.value)}>
            <option value="">{t('admin.users.noLine')}</option>
            {LINES.map((line) => (
              <option key={line} value={line}>
                {line}
              </option>
            ))}
          </SelectField>
          <label className="check">
            <input type="checkbox" checked={senior} onChange={(event) => setSenior(event.target.checked)} /> {t('admin.users.senior')}
          </label>
        </>
      )}
      {user ? (
        <label className="check">
          <input type="checkbox" checked={isActive} onChange={(event) => setIsActive(event.target.checked)} /> {t('admin.users.active')}
        </label>
      ) : (
        <label className="field">
          <span>{t('admin.users.password')}</span>
          <input type="password" autoComplete="new-password" minLength={10} value={password} onChange={(event) => setPassword(event.target.value)} aria-describedby="password-hint" />
          <span id="password-hint" className="hint">
            {t('admin.users.passwordHint')}
          </span>
        </label>
      )}
      {save.isError && <ErrorMessage error={save.error} />}
      <FormActions submitLabel={user ? t('common.save') : t('admin.users.create')} onCancel={onDone} disabled={save.isPending || roles.length === 0} />
    </form>
  );
}
