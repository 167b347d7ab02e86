import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ticket, User } from '../../app/api.types.ts';
import { StatusBadge } from '../../ui/Badges.tsx';
import { useQueue } from '../tickets/tickets.api.ts';
import { useEnvironment, useOrganization } from './accounts.api.ts';
import { environmentChanges, EnvironmentView } from './EnvironmentView.tsx';

/** Beside every case: the organisation's plan, TAM and the environment the case was opened against. */
export function OrganizationPanel({ ticket, users }: { ticket: Ticket; users: Map<string, User> | undefined }) {
  const { t } = useTranslation();
  const organization = useOrganization(ticket.organizationId);
  const current = useEnvironment(ticket.organizationId);
  const atOpening = useEnvironment(ticket.organizationId, ticket.environmentVersion);
  const recent = useQueue({ view: 'all', sort: 'updated', organizationId: ticket.organizationId });
  const others = (recent.data?.items ?? []).filter((item) => item.id !== ticket.id).slice(0, 5);
  const org = organization.data;
  if (!org) return null;
  const changed = current.data && atOpening.data && current.data.version !== atOpening.data.version ? environmentChanges(atOpening.data, current.data) : [];
  return (
    <section className="panel" aria-labelledby="org-title">
      <h2 id="org-title">
        <Link to={`/organizations/${org.id}`}>{org.name}</Link>
      </h2>
      <dl className="facts">
        <div>
          <dt>{t('organization.plan')}</dt>
          <dd>{org.planCode ? <span className={`badge plan-${org.planCode}`}>{t(`plans.${org.planCode}`, { defaultValue: org.planCode })}</span> : t('organization.noPlan')}</dd>
        </div>
        <div>
          <dt>{t('organization.tam')}</dt>
          <dd>{org.tamId ? (users?.get(org.tamId)?.name ?? '…') : '—'}</dd>
        </div>
      </dl>
      <h3>{ticket.environmentVersion ? t('environment.atOpening', { version: ticket.environmentVersion }) : t('environment.title')}</h3>
      {atOpening.data ? <EnvironmentView profile={atOpening.data} /> : <p className="muted">{t('environment.none')}</p>}
      {changed.length > 0 && (
        <div className="changed-since">
          <h3>{t('environment.changedSince', { version: current.data?.version })}</h3>
          <ul>
            {changed.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {others.length > 0 && (
        <>
          <h3>{t('organization.otherCases')}</h3>
          <ul className="plain small">
            {others.map((item) => (
              <li key={item.id}>
                <Link to={`/cases/${item.id}`}>
                  #{item.number} {item.subject}
                </Link>{' '}
                <StatusBadge status={item.status} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
