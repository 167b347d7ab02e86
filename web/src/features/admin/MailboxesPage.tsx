import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../app/api.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useFormat } from '../../ui/format.ts';
import { useAdminMutation, useDeadLetters, useMailboxes, useTeams, type Mailbox } from './admin.api.ts';
import { adminState, NotAvailable, AdminTable } from './AdminState.tsx';
import { BouncingAddresses, UnopenedMail } from './InboundMailPanels.tsx';
import { MailboxForm } from './MailboxForm.tsx';

/** Failed outbound mail (dead letters) with a retry each; hidden behind a notice while the route is absent. */
function DeadLetters() {
  const { t } = useTranslation();
  const format = useFormat();
  const dead = useDeadLetters();
  const retry = useAdminMutation((id: string) => api(`/mail/outbound/${id}/retry`, { method: 'POST' }), [['outbound-mail']]);
  const state = adminState(dead);
  return (
    <section className="panel" aria-labelledby="dead-letters-title">
      <h2 id="dead-letters-title">{t('admin.deadLetters.title')}</h2>
      {state ??
        (dead.data === null ? (
          <NotAvailable what={t('admin.deadLetters.title')} />
        ) : dead.data!.length === 0 ? (
          <p className="muted">{t('admin.deadLetters.none')}</p>
        ) : (
          <ul className="plain dead-letters">
            {dead.data!.map((mail) => (
              <li key={mail.id}>
                <div>
                  <strong>{mail.subject}</strong> <span className="muted">→ {mail.to.join(', ')}</span>
                  {mail.ticketId && (
                    <>
                      {' '}
                      · <Link to={`/cases/${mail.ticketId}`}>{t('admin.deadLetters.case')}</Link>
                    </>
                  )}
                </div>
                <div className="muted small">
                  {t('admin.deadLetters.failed', { attempts: mail.attempts, time: format.dateTime(mail.deadAt ?? mail.createdAt) })}
                  {mail.lastError && <> · {mail.lastError}</>}
                </div>
                <button type="button" className="button small" disabled={retry.isPending} onClick={() => retry.mutate(mail.id)} aria-label={t('admin.deadLetters.retryNamed', { subject: mail.subject })}>
                  {t('admin.deadLetters.retry')}
                </button>
              </li>
            ))}
          </ul>
        ))}
      {retry.isError && <ErrorMessage error={retry.error} />}
      {retry.isSuccess && (
        <p role="status" className="success">
          {t('admin.deadLetters.requeued')}
        </p>
      )}
    </section>
  );
}

/** Mailboxes Casebook receives mail for, the outbound mail that could not be delivered, inbound mail that opened no case and bouncing addresses. */
export default function MailboxesPage() {
  const { t } = useTranslation();
  const mailboxes = useMailboxes();
  const teams = useTeams();
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null);
  const state = adminState(mailboxes);
  const teamName = (id: string | null) => teams.data?.find((team) => team.id === id)?.name ?? '—';
  const available = mailboxes.data !== null && mailboxes.data !== undefined;
  const editingMailbox = editing && editing !== 'new' ? editing : undefined;
  return (
    <>
      <div className="queue-head">
        <h1>{t('admin.mailboxes.title')}</h1>
        {available && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            {t('admin.mailboxes.new')}
          </button>
        )}
      </div>
      {state ??
        (!available ? (
          <NotAvailable what={t('admin.mailboxes.title')} />
        ) : mailboxes.data!.length === 0 ? (
          <p className="empty">{t('admin.mailboxes.none')}</p>
        ) : (
          <AdminTable caption={t('admin.mailboxes.title')} columns={[t('admin.mailboxes.address'), t('admin.mailboxes.name'), t('admin.mailboxes.team'), t('admin.mailboxes.imapUrl'), t('admin.users.status')]} actions>
              {mailboxes.data!.map((mailbox) => (
                <tr key={mailbox.id} className={mailbox.isActive ? undefined : 'inactive'}>
                  <td>{mailbox.address}</td>
                  <td>{mailbox.name || '—'}</td>
                  <td>{teamName(mailbox.teamId)}</td>
                  <td className="small">{mailbox.imapUrl ?? t('admin.mailboxes.smtpOnly')}</td>
                  <td>{mailbox.isActive ? t('admin.users.activeState') : t('admin.users.inactiveState')}</td>
                  <td>
                    <button type="button" className="button small" onClick={() => setEditing(mailbox)} aria-label={t('admin.mailboxes.editNamed', { address: mailbox.address })}>
                      {t('admin.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </AdminTable>
        ))}
      <DeadLetters />
      <UnopenedMail />
      <BouncingAddresses />
      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)} title={editingMailbox ? editingMailbox.address : t('admin.mailboxes.new')}>
        {editing !== null && <MailboxForm key={editingMailbox?.id ?? 'new'} mailbox={editingMailbox} teams={teams.data ?? []} onDone={() => setEditing(null)} />}
      </Dialog>
    </>
  );
}
