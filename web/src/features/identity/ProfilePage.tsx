import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import type { User, Weekday } from '../../app/api.types.ts';
import { setLanguage } from '../../app/i18n.ts';
import { queryClient } from '../../app/query-client.ts';
import { isAgent, useMe } from '../../app/session.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { TimeZoneSelect } from '../../ui/TimeZoneSelect.tsx';

const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

type Hours = Record<Weekday, { from: string; to: string }>;

function toHours(user: User): Hours {
  return Object.fromEntries(DAYS.map((day) => {
    const block = user.workingHours?.[day]?.[0];
    return [day, { from: block?.[0] ?? '', to: block?.[1] ?? '' }];
  })) as Hours;
}

/** My profile: language, time zone and (agents) working hours. */
export default function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  const [locale, setLocale] = useState(me.locale);
  const [timeZone, setTimeZone] = useState(me.timeZone);
  const [hours, setHours] = useState<Hours>(() => toHours(me));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => {
      // The form edits each day's first block; any further blocks (split shifts set elsewhere) are kept.
      const workingHours = Object.fromEntries(
        DAYS.filter((day) => hours[day].from && hours[day].to).map((day) => [day, [[hours[day].from, hours[day].to], ...(me.workingHours?.[day]?.slice(1) ?? [])]]),
      );
      return api<User>(`/users/${me.id}`, { method: 'PATCH', body: { locale, timeZone, ...(isAgent(me) && { workingHours: Object.keys(workingHours).length ? workingHours : null }) } });
    },
    onSuccess: async (user) => {
      queryClient.setQueryData(['me'], user);
      await setLanguage(user.locale);
      setSaved(true);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };

  return (
    <main id="main" className="page narrow">
      <h1>{t('profile.title')}</h1>
      <form className="card form" onSubmit={submit}>
        <p>
          <strong>{me.name}</strong> <span className="muted">{me.email}</span>
        </p>
        <SelectField label={t('profile.language')} value={locale} onChange={(event) => setLocale(event.target.value)}>
            <option value="en">English</option>
            <option value="fr">Français</option>
            <option value="es">Español</option>
        </SelectField>
        <TimeZoneSelect label={t('profile.timeZone')} value={timeZone} onChange={(event) => setTimeZone(event.target.value)} />
        {isAgent(me) && (
          <fieldset className="hours">
            <legend>{t('profile.workingHours')}</legend>
            {DAYS.map((day) => (
              <div key={day} className="hours-row">
                <span className="day">{t(`days.${day}`)}</span>
                <label>
                  <span className="visually-hidden">{t('profile.from', { day: t(`days.${day}`) })}</span>
                  <input type="time" value={hours[day].from} onChange={(event) => setHours({ ...hours, [day]: { ...hours[day], from: event.target.value } })} />
                </label>
                <span aria-hidden="true">–</span>
                <label>
                  <span className="visually-hidden">{t('profile.to', { day: t(`days.${day}`) })}</span>
                  <input type="time" value={hours[day].to} onChange={(event) => setHours({ ...hours, [day]: { ...hours[day], to: event.target.value } })} />
                </label>
              </div>
            ))}
          </fieldset>
        )}
        {save.isError && <ErrorMessage error={save.error} />}
        {saved && (
          <p role="status" className="success">
            {t('profile.saved')}
          </p>
        )}
        <button type="submit" className="button primary" disabled={save.isPending}>
          {t('common.save')}
        </button>
      </form>
    </main>
  );
}
