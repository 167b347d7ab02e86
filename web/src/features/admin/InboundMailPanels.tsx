import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../app/api.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useFormat } from '../../ui/format.ts';
import { useAdminMutation } from './admin.api.ts';
import { adminState, NotAvailable, AdminTable } from './AdminState.tsx';
import { useAddressFlags, useUnopenedMail, type InboundMail } from './mail-admin.api.ts';

const RELEASABLE = new Set(['rate-limited', 'failed']);

/** Why the mail opened no case, in words: the rate limit, the recorded error, or the reason processing gave. */
function useReasonOf() {
  const { t } = useTranslation();
  return (mail: InboundMail): string => {
    const limit = mail.outcome.limit as { count?: number; windowSeconds?: number } | undefined;
    if (mail.state === 'rate-limited' && limit?.count) return t('admin.unopenedMail.rateLimited', { limit: limit.count, minutes: Math.round((limit.windowSeconds ?? 0) / 60) });
    if (mail.lastError) return mail.lastError;
    const reason = typeof mail.outcome.reason === 'string' ? mail.outcome.reason : mail.classification;
    return reason ?? '—';
  };
}

/** Inbound mail that did not become a case, with a Release button for rate-limited and failed mail. */
export function UnopenedMail() {
  const { t } = useTranslation();
  const format = useFormat();
  const reasonOf = useReasonOf();
  const mails = useUnopenedMail();
  const release = useAdminMutation((id: string) => api(`/mail/inbound/${id}/release`, { method: 'POST' }), [['inbound-mail']]);
  const state = adminState(mails);
  return (
    <section className="panel" aria-labelledby="unopened-mail-title">
      <h2 id="unopened-mail-title">{t('admin.unopenedMail.title')}</h2>
      {state ??
        (mails.data === null ? (
          <NotAvailable what={t('admin.unopenedMail.title')} />
        ) : mails.data!.length === 0 ? (
          <p className="muted">{t('admin.unopenedMail.none')}</p>
        ) : (
          <AdminTable caption={t('admin.unopenedMail.title')} columns={[t('admin.unopenedMail.state'), t('admin.unopenedMail.sender'), t('admin.unopenedMail.subject'), t('admin.unopenedMail.received'), t('admin.unopenedMail.reason')]} actions>
              {mails.data!.map((mail) => (
                <tr key={mail.id}>
                  <td>{t(`admin.unopenedMail.states.${mail.state}`)}</td>
                  <td>{mail.fromAddress ?? '—'}</td>
                  <td>
                    {mail.subject ?? t('admin.unopenedMail.noSubject')}
                    {mail.ticketId && (
                      <>
                        {' '}
                        · <Link to={`/cases/${mail.ticketId}`}>{t('admin.deadLetters.case')}</Link>
                      </>
                    )}
                  </td>
                  <td>
                    <time dateTime={mail.receivedAt}>{format.dateTime(mail.receivedAt)}</time>
                  </td>
                  <td className="small description">{reasonOf(mail)}</td>
                  <td>
                    {RELEASABLE.has(mail.state) && (
                      <button
                        type="button"
                        className="button small"
                        disabled={release.isPending}
                        onClick={() => release.mutate(mail.id)}
                        aria-label={t('admin.unopenedMail.releaseNamed', { subject: mail.subject ?? t('admin.unopenedMail.noSubject'), sender: mail.fromAddress ?? '—' })}
                      >
                        {t('admin.unopenedMail.release')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </AdminTable>
        ))}
      {release.isError && <ErrorMessage error={release.error} />}
      {release.isSuccess && (
        <p role="status" className="success">
          {t('admin.unopenedMail.released')}
        </p>
      )}
    </section>
  );
}

/** Addresses whose mail bounced (outbound mail to them is held), with an Unflag button each. */
export function BouncingAddresses() {
  const { t } = useTranslation();
  const format = useFormat();
  const flags = useAddressFlags();
  const unflag = useAdminMutation((address: string) => api(`/mail/address-flags/${encodeURIComponent(address)}`, { method: 'DELETE' }), [['address-flags'], ['outbound-mail']]);
  const state = adminState(flags);
  return (
    <section className="panel" aria-labelledby="bouncing-addresses-title">
      <h2 id="bouncing-addresses-title">{t('admin.bouncingAddresses.title')}</h2>
      {state ??
        (flags.data === null ? (
          <NotAvailable what={t('admin.bouncingAddresses.title')} />
        ) : flags.data!.length === 0 ? (
          <p className="muted">{t('admin.bouncingAddresses.none')}</p>
        ) : (
          <AdminTable caption={t('admin.bouncingAddresses.title')} columns={[t('admin.bouncingAddresses.address'), t('admin.bouncingAddresses.reason'), t('admin.bouncingAddresses.flaggedAt')]} actions>
              {flags.data!.map((flag) => (
                <tr key={flag.address}>
                  <td>{flag.address}</td>
                  <td>{flag.reason}</td>
                  <td>
                    <time dateTime={flag.flaggedAt}>{format.dateTime(flag.flaggedAt)}</time>
                  </td>
                  <td>
                    <button type="button" className="button small" disabled={unflag.isPending} onClick={() => unflag.mutate(flag.address)} aria-label={t('admin.bouncingAddresses.unflagNamed', { address: flag.address })}>
                      {t('admin.bouncingAddresses.unflag')}
                    </button>
                  </td>
                </tr>
              ))}
            </AdminTable>
        ))}
      {unflag.isError && <ErrorMessage error={unflag.error} />}
      {unflag.isSuccess && (
        <p role="status" className="success">
          {t('admin.bouncingAddresses.unflagged')}
        </p>
      )}
    </section>
  );
}
