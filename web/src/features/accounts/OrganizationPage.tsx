import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PriorityBadge, StatusBadge } from '../../ui/Badges.tsx';
import { useFormat } from '../../ui/format.ts';
import { pageState } from '../../ui/PageState.tsx';
import { useQueue, useUsers } from '../tickets/tickets.api.ts';
import { useContract, useEnvironmentHistory, useOrganization } from './accounts.api.ts';
import { EnvironmentEditor } from './EnvironmentEditor.tsx';
import { environmentChanges, EnvironmentView } from './EnvironmentView.tsx';

/** An account: plan, account team, environment profile with its history, contacts and cases. */
export default function OrganizationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const format = useFormat();
  const organization = useOrganization(id);
  const history = useEnvironmentHistory(id);
  const contract = useContract(id);
  const [isEditing, setEditing] = useState(false);
  const users = useUsers();
  const cases = useQueue({ view: 'all', sort: 'updated', organizationId: id });
  const pending = pageState(organization);
  if (pending || !organization.data) return pending;
  const org = organization.data;
  const contacts = [...(users.data?.values() ?? [])].filter((user) => user.organizationId === org.id);
  const versions = [...(history.data ?? [])].sort((a, b) => b.version - a.version);
  const name = (userId: string | null) => (userId ? (users.data?.get(userId)?.name ?? '…') : '—');

  return (
    <main id="main" className="page organization-page">
      <h1>{org.name}</h1>
      <div className="grid-2">
        <section className="panel" aria-labelledby="org-plan">
          <h2 id="org-plan">{t('organization.planAndTeam')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('organization.plan')}</dt>
              <dd>{org.planCode ? t(`plans.${org.planCode}`, { defaultValue: org.planCode }) : t('organization.noPlan')}</dd>
            </div>
            {contract.data && (
              <div>
                <dt>{t('organization.contract')}</dt>
                <dd>{contract.data.active ? t('organization.contractDates', { from: contract.data.active.startsOn, to: contract.data.active.endsOn }) : t('organization.noContract')}</dd>
              </div>
            )}
            <div>
              <dt>{t('organization.tam')}</dt>
              <dd>{name(org.tamId)}</dd>
            </div>
            {org.accountTeam.map((member) => (
              <div key={`${member.userId}-${member.role}`}>
                <dt>{t(`roles.${member.role}`, { defaultValue: member.role })}</dt>
                <dd>{name(member.userId)}</dd>
              </div>
            ))}
            <div>
              <dt>{t('organization.domains')}</dt>
              <dd>{org.domains.join(', ') || '—'}</dd>
            </div>
          </dl>
        </section>
        <section className="panel" aria-labelledby="org-contacts">
          <h2 id="org-contacts">{t('organization.contacts')}</h2>
          <ul className="plain">
            {contacts.map((contact) => (
              <li key={contact.id}>
                {contact.name} <span className="muted">{contact.email}</span> {contact.roles.includes('customer-admin') && <span className="badge">{t('roles.customer-admin')}</span>}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel" aria-labelledby="org-env">
        <div className="panel-head">
          <h2 id="org-env">{t('environment.title')}</h2>
          {!isEditing && (
            <button type="button" className="button small" onClick={() => setEditing(true)}>
              {t('environment.edit')}
            </button>
          )}
        </div>
        {isEditing && <EnvironmentEditor organizationId={org.id} current={versions[0]} onDone={() => setEditing(false)} />}
        {versions.length === 0 && <p className="muted">{t('environment.none')}</p>}
        {!isEditing && versions.map((profile, index) => (
          <details key={profile.version} open={index === 0} className="env-version">
            <summary>
              {t('environment.version', { version: profile.version })} — {format.dateTime(profile.createdAt)} {index === 0 && <span className="badge">{t('environment.current')}</span>}
            </summary>
            <EnvironmentView profile={profile} />
            {versions[index + 1] && (
              <ul className="changes">
                {environmentChanges(versions[index + 1]!, profile).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
          </details>
        ))}
      </section>
      <section className="panel" aria-labelledby="org-cases">
        <h2 id="org-cases">{t('organization.cases')}</h2>
        <ul className="plain">
          {cases.data?.items.map((ticket) => (
            <li key={ticket.id}>
              <Link to={`/cases/${ticket.id}`}>
                #{ticket.number} {ticket.subject}
              </Link>{' '}
              <PriorityBadge priority={ticket.priority} /> <StatusBadge status={ticket.status} />
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
