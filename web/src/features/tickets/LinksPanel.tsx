import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LINK_KINDS, type LinkKind, type TicketLink } from '../../app/api.types.ts';
import { StatusBadge } from '../../ui/Badges.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { useAddLink, useLinks } from './links.api.ts';
import { useTicket } from './tickets.api.ts';

function LinkedCase({ id }: { id: string }) {
  const ticket = useTicket(id);
  if (!ticket.data) return <span className="muted">…</span>;
  return (
    <>
      <Link to={`/cases/${id}`}>
        #{ticket.data.number} {ticket.data.subject}
      </Link>{' '}
      <StatusBadge status={ticket.data.status} />
    </>
  );
}

function LinkItem({ link, ticketId }: { link: TicketLink; ticketId: string }) {
  const { t } = useTranslation();
  const other = link.ticketId === ticketId ? link.targetTicketId : link.ticketId;
  return (
    <li className="link-item" data-link-kind={link.kind}>
      <span className={`badge link-${link.kind}`}>{t(`links.kind.${link.kind}`)}</span>{' '}
      {other ? (
        <LinkedCase id={other} />
      ) : link.externalUrl ? (
        <a href={link.externalUrl} target="_blank" rel="noreferrer noopener">
          {link.externalRef}
        </a>
      ) : (
        <span>{link.externalRef}</span>
      )}
    </li>
  );
}

/** Related and duplicate cases, and the upstream vendor case, with a small form to add one. */
export function LinksPanel({ ticketId, disabled }: { ticketId: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const links = useLinks(ticketId);
  const addLink = useAddLink(ticketId);
  const [kind, setKind] = useState<LinkKind>('related');
  const [caseNumber, setCaseNumber] = useState('');
  const [externalRef, setExternalRef] = useState('');
  const [externalUrl, setExternalUrl] = useState('');
  const isUpstream = kind === 'upstream-vendor';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const link = isUpstream
      ? { kind, externalRef: externalRef.trim(), ...(externalUrl.trim() && { externalUrl: externalUrl.trim() }) }
      : { kind, targetNumber: Number(caseNumber.replace(/^#/, '')) };
    addLink.mutate(link, {
      onSuccess: () => {
        setCaseNumber('');
        setExternalRef('');
        setExternalUrl('');
      },
    });
  };

  return (
    <section className="panel links" aria-labelledby="links-title">
      <h2 id="links-title">{t('links.title')}</h2>
      {links.isError && <ErrorMessage error={links.error} onRetry={() => void links.refetch()} />}
      {links.data && links.data.length === 0 && <p className="muted">{t('links.none')}</p>}
      {links.data && links.data.length > 0 && (
        <ul className="plain link-list">
          {links.data.map((link) => (
            <LinkItem key={link.id} link={link} ticketId={ticketId} />
          ))}
        </ul>
      )}
      {!disabled && (
        <form className="link-form" onSubmit={submit} aria-label={t('links.add')}>
          <SelectField label={t('links.kindLabel')} value={kind} onChange={(event) => setKind(event.target.value as LinkKind)}>
            {LINK_KINDS.map((value) => (
              <option key={value} value={value}>
                {t(`links.kind.${value}`)}
              </option>
            ))}
          </SelectField>
          {isUpstream ? (
            <>
              <label className="field">
                <span>{t('links.externalRef')}</span>
                <input required maxLength={200} value={externalRef} onChange={(event) => setExternalRef(event.target.value)} />
              </label>
              <label className="field">
                <span>{t('links.externalUrl')}</span>
                <input type="url" maxLength={2000} placeholder="https://" value={externalUrl} onChange={(event) => setExternalUrl(event.target.value)} />
              </label>
            </>
          ) : (
            <label className="field">
              <span>{t('links.caseNumber')}</span>
              <input required inputMode="numeric" pattern="#?[0-9]+" placeholder="#1042" value={caseNumber} onChange={(event) => setCaseNumber(event.target.value)} />
            </label>
          )}
          {addLink.isError && <ErrorMessage error={addLink.error} />}
          <button type="submit" className="button small" disabled={addLink.isPending}>
            {t('links.add')}
          </button>
        </form>
      )}
    </section>
  );
}
