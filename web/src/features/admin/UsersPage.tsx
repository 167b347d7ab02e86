import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import type { Organization, Page } from '../../app/api.types.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { useAllUsers, type AdminUser } from './admin.api.ts';
import { adminState, AdminTable } from './AdminState.tsx';
import { UserForm } from './UserForm.tsx';

export function useOrganizationList() {
  return useQuery({ queryKey: ['organizations'], queryFn: () => api<Page<Organization>>('/organizations?limit=200').then((page) => page.items), staleTime: 5 * 60_000 });
}

/** Agents and customer contacts: search, filter by kind, create, edit roles, line, seniority, activation. */
export default function UsersPage() {
  const { t } = useTranslation();
  const users = useAllUsers();
  const organizations = useOrganizationList();
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState('');
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const state = adminState(users);
  if (state) return state;
  const orgName = (id: string | null) => (id ? (organizations.data?.find((organization) => organization.id === id)?.name ?? '—') : '');
  const needle = query.trim().toLowerCase();
  const shown = (users.data ?? []).filter(
    (user) => (!kind || user.kind === kind) && (!needle || `${user.name} ${user.email} ${orgName(user.organizationId)}`.toLowerCase().includes(needle)),
  );
  const editingUser = editing && editing !== 'new' ? editing : undefined;

  return (
    <>
      <div className="queue-head">
        <h1>{t('admin.users.title')}</h1>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          {t('admin.users.new')}
        </button>
      </div>
      <div className="filters admin-filters" role="search">
        <label className="field inline">
          <span>{t('admin.users.search')}</span>
          <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </label>
        <SelectField inline label={t('admin.users.show')} value={kind} onChange={(event) => setKind(event.target.value)}>
          <option value="">{t('admin.users.everyone')}</option>
          <option value="agent">{t('admin.users.agents')}</option>
          <option value="contact">{t('admin.users.contacts')}</option>
        </SelectField>
        <p className="muted" aria-live="polite">
          {t('admin.users.count', { count: shown.length })}
        </p>
      </div>
      <AdminTable caption={t('admin.users.title')} columns={[t('admin.users.name'), t('admin.users.email'), t('admin.users.roles'), t('admin.users.organizationOrLine'), t('admin.users.status')]} actions>
          {shown.map((user) => (
            <tr key={user.id} className={user.isActive ? undefined : 'inactive'}>
              <td>
                {user.name} {user.senior && <span className="badge">{t('workload.senior')}</span>}
              </td>
              <td>{user.email}</td>
              <td>{user.roles.map((role) => t(`admin.roleNames.${role}`)).join(', ')}</td>
              <td>{user.kind === 'contact' ? orgName(user.organizationId) : (user.supportLine ?? '—')}</td>
              <td>{user.isActive ? t('admin.users.activeState') : t('admin.users.inactiveState')}</td>
              <td>
                <button type="button" className="button small" onClick={() => setEditing(user)} aria-label={t('admin.users.editNamed', { name: user.name })}>
                  {t('admin.edit')}
                </button>
              </td>
            </tr>
          ))}
        </AdminTable>
      {shown.length === 0 && <p className="empty">{t('admin.users.none')}</p>}
      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)} title={editingUser ? t('admin.users.editTitle', { name: editingUser.name }) : t('admin.users.new')}>
        {editing !== null && <UserForm key={editingUser?.id ?? 'new'} user={editingUser} organizations={organizations.data ?? []} onDone={() => setEditing(null)} />}
      </Dialog>
    </>
  );
}
