import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useAdminMutation, type Calendar, type Holiday } from './admin.api.ts';

const keyOf = (holiday: Holiday) => (typeof holiday === 'string' ? holiday : holiday.date);
/** Sorted by day in the year for yearly holidays, by date for the others. */
const sortKey = (holiday: Holiday) => (typeof holiday !== 'string' && holiday.yearly ? `0000-${holiday.date}` : keyOf(holiday));

/** The calendar's closed days: add one (once or every year), remove one, or import an .ics file (merged by the server). */
export function HolidaysEditor({ calendarId, holidays, onChange, onImported }: { calendarId: string; holidays: Holiday[]; onChange(holidays: Holiday[]): void; onImported(calendar: Calendar): void }) {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState('');
  const [yearly, setYearly] = useState(false);
  const [name, setName] = useState('');
  const [imported, setImported] = useState<number | null>(null);
  const importIcs = useAdminMutation((ics: string) => api<Calendar>(`/calendars/${calendarId}/holidays/import`, { method: 'POST', body: { ics } }), [['calendars']]);
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' });
  const dayFormat = new Intl.DateTimeFormat(i18n.language, { month: 'long', day: 'numeric', timeZone: 'UTC' });
  const label = (holiday: Holiday) => {
    const day = keyOf(holiday);
    return typeof holiday !== 'string' && holiday.yearly ? t('admin.holidays.everyYear', { day: dayFormat.format(new Date(`2000-${day}T00:00:00Z`)) }) : dateFormat.format(new Date(`${day}T00:00:00Z`));
  };
  const add = () => {
    if (!date) return;
    const trimmed = name.trim();
    const holiday: Holiday = yearly ? { date: date.slice(5), yearly: true, ...(trimmed && { name: trimmed }) } : trimmed ? { date, name: trimmed } : date;
    if (!holidays.some((existing) => keyOf(existing) === keyOf(holiday))) onChange([...holidays, holiday]);
    setDate('');
    setName('');
  };
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setImported(null);
    const ics = await file.text();
    importIcs.mutate(ics, {
      onSuccess: (calendar) => {
        setImported(calendar.definition.holidays.length - holidays.length);
        onImported(calendar);
      },
    });
  };
  const sorted = [...holidays].sort((left, right) => sortKey(left).localeCompare(sortKey(right)));

  return (
    <section className="panel" aria-labelledby="holidays-title">
      <h2 id="holidays-title">{t('admin.holidays.title')}</h2>
      {sorted.length === 0 ? (
        <p className="muted">{t('admin.holidays.none')}</p>
      ) : (
        <ul className="plain holidays">
          {sorted.map((holiday) => (
            <li key={keyOf(holiday)}>
              <span>
                {label(holiday)}
                {typeof holiday !== 'string' && holiday.name && <span className="muted"> · {holiday.name}</span>}
              </span>
              <button type="button" className="button small" onClick={() => onChange(holidays.filter((existing) => keyOf(existing) !== keyOf(holiday)))} aria-label={t('admin.holidays.removeNamed', { day: label(holiday) })}>
                {t('admin.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="holiday-add" role="group" aria-label={t('admin.holidays.add')}>
        <label className="field">
          <span>{t('admin.holidays.date')}</span>
          <input type="date" value={date} onChange={(event) => setDate(event.target.value)} />
        </label>
        <label className="field">
          <span>{t('admin.holidays.name')}</span>
          <input value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={yearly} onChange={(event) => setYearly(event.target.checked)} /> {t('admin.holidays.yearly')}
        </label>
        <button type="button" className="button small" onClick={add} disabled={!date}>
          {t('admin.holidays.add')}
        </button>
      </div>
      <div className="ics-import">
        <label className="button file-button">
          {t('admin.holidays.import')}
          <input type="file" accept=".ics,text/calendar" className="visually-hidden" onChange={(event) => void onFile(event)} disabled={importIcs.isPending} />
        </label>
        <p className="hint">{t('admin.holidays.importHint')}</p>
        {importIcs.isError && <ErrorMessage error={importIcs.error} />}
        {imported !== null && (
          <p role="status" className="success">
            {t('admin.holidays.imported', { count: imported })}
          </p>
        )}
      </div>
    </section>
  );
}
