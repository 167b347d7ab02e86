import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { FormActions } from '../../ui/FormActions.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { useAdminMutation, type Mailbox, type Team } from './admin.api.ts';

/** Adds a mailbox or edits one: address, display name, default team, IMAP source (password shown masked), active. */
export function MailboxForm({ mailbox, teams, onDone }: { mailbox?: Mailbox; teams: Team[]; onDone(): void }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState(mailbox?.address ?? '');
  const [name, setName] = useState(mailbox?.name ?? '');
  const [teamId, setTeamId] = useState(mailbox?.teamId ?? teams[0]?.id ?? '');
  const [imapUrl, setImapUrl] = useState(mailbox?.imapUrl ?? '');
  const [isActive, setIsActive] = useState(mailbox?.isActive ?? true);
  const save = useAdminMutation(() => {
    const body = { address, name, teamId, imapUrl: imapUrl.trim() || null, isActive };
    return mailbox ? api<Mailbox>(`/mailboxes/${mailbox.id}`, { method: 'PATCH', body }) : api<Mailbox>('/mailboxes', { method: 'POST', body });
  }, [['mailboxes']]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(undefined, { onSuccess: onDone });
  };
  return (
    <form className="form" onSubmit={submit}>
      <label className="field">
        <span>{t('admin.mailboxes.address')}</span>
        <input type="email" required value={address} onChange={(event) => setAddress(event.target.value)} />
      </label>
      <label className="field">
        <span>{t('admin.mailboxes.name')}</span>
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <SelectField label={t('admin.mailboxes.team')} required value={teamId} onChange={(event) => setTeamId(event.target.value)}>
        {teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </SelectField>
      <label className="field">
        <span>{t('admin.mailboxes.imapUrl')}</span>
        <input value={imapUrl} placeholder="imaps://user:password@imap.example.com:993/INBOX" onChange={(event) => setImapUrl(event.target.value)} aria-describedby="imap-hint" />
        <span id="imap-hint" className="hint">
          {t('admin.mailboxes.imapHint')}
        </span>
      </label>
      <label className="check">
        <input type="checkbox" checked={isActive} onChange={(event) => setIsActive(event.target.checked)} /> {t('admin.mailboxes.active')}
      </label>
      {save.isError && <ErrorMessage error={save.error} />}
      <FormActions submitLabel={mailbox ? t('common.save') : t('admin.mailboxes.create')} onCancel={onDone} disabled={save.isPending || !teamId} />
    </form>
  );
}
