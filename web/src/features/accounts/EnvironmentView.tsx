import { useTranslation } from 'react-i18next';
import type { EnvironmentComponent, EnvironmentProfile } from '../../app/api.types.ts';

const FIELDS = ['version', 'database', 'databaseVersion', 'os', 'osVersion', 'specialConfiguration', 'notes'] as const;

function describe(component: EnvironmentComponent): string {
  const parts = [
    component.version,
    component.database && `${component.database} ${component.databaseVersion ?? ''}`.trim(),
    component.os && `${component.os} ${component.osVersion ?? ''}`.trim(),
  ].filter(Boolean);
  return parts.join(' · ');
}

/** What changed between two profile versions, component by component. */
export function environmentChanges(before: EnvironmentProfile, after: EnvironmentProfile): string[] {
  const changes: string[] = [];
  const old = new Map(before.components.map((component) => [component.product, component]));
  for (const component of after.components) {
    const previous = old.get(component.product);
    if (!previous) {
      changes.push(`+ ${component.product} ${describe(component)}`);
      continue;
    }
    for (const field of FIELDS) {
      if ((previous[field] ?? '') !== (component[field] ?? '')) changes.push(`${component.product} ${field}: ${previous[field] ?? '—'} → ${component[field] ?? '—'}`);
    }
    old.delete(component.product);
  }
  for (const removed of old.keys()) changes.push(`− ${removed}`);
  return changes;
}

export function EnvironmentView({ profile }: { profile: EnvironmentProfile }) {
  const { t } = useTranslation();
  return (
    <ul className="environment">
      {profile.components.map((component) => (
        <li key={component.product}>
          <strong>{component.product}</strong> {describe(component)}
          {component.specialConfiguration && (
            <p className="special">
              <span className="label">{t('environment.special')}</span> {component.specialConfiguration}
            </p>
          )}
          {component.notes && <p className="muted">{component.notes}</p>}
        </li>
      ))}
      {profile.notes && <li className="muted">{profile.notes}</li>}
    </ul>
  );
}
