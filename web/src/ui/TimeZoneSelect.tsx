import type { ComponentPropsWithRef } from 'react';
import { SelectField } from './SelectField.tsx';

/** The IANA time zones this browser knows (a short list on very old browsers). */
const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC', 'Europe/Paris', 'America/New_York', 'America/Toronto'];

/** A labelled time-zone picker; a zone the browser does not list (e.g. Etc/UTC) stays selectable when it is the value. */
export function TimeZoneSelect({ label, value, ...props }: { label: string; value: string } & Omit<ComponentPropsWithRef<'select'>, 'value'>) {
  const zones = TIME_ZONES.includes(value) ? TIME_ZONES : [value, ...TIME_ZONES];
  return (
    <SelectField label={label} value={value} {...props}>
      {zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone}
        </option>
      ))}
    </SelectField>
  );
}
