import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { TimeZoneSelect } from '../../ui/TimeZoneSelect.tsx';
import { useAdminMutation, useCalendar, usePlans, type Calendar, type Holiday, type WeekHours } from './admin.api.ts';
import { adminState } from './AdminState.tsx';
import { HolidaysEditor } from './HolidaysEditor.tsx';
import { weekHasProblem, WeekHoursEditor } from './WeekHoursEditor.tsx';

function CalendarEditor({ calendar }: { calendar: Calendar }) {
  const { t } = useTranslation();
  const plans = usePlans();
  const [name, setName] = useState(calendar.name);
  const [timeZone, setTimeZone] = useState(calendar.definition.timeZone);
  const [week, setWeek] = useState<WeekHours>(calendar.definition.week);
  const [holidays, setHolidays] = useState<Holiday[]>(calendar.definition.holidays);
  const [saved, setSaved] = useState(false);
  const save = useAdminMutation(() => api<Calendar>(`/calendars/${calendar.id}`, { method: 'PATCH', body: { name, timeZone, week, holidays } }), [['calendars']]);
  const usedBy = (plans.data ?? []).filter((plan) => plan.calendarId === calendar.id);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(undefined, { onSuccess: () => setSaved(true) });
  };
  const edited = <T,>(set: (value: T) => void) => (value: T) => {
    setSaved(false);
    set(value);
  };

  return (
    <form className="calendar-editor" onSubmit={submit}>
      <p className="muted">{usedBy.length > 0 ? t('admin.calendars.usedBy', { plans: usedBy.map((plan) => plan.name).join(', ') }) : t('admin.calendars.unused')}</p>
      <div className="grid-2">
        <label className="field">
          <span>{t('admin.calendars.name')}</span>
          <input required value={name} onChange={(event) => edited(setName)(event.target.value)} />
        </label>
        <TimeZoneSelect label={t('admin.calendars.timeZone')} value={timeZone} onChange={(event) => edited(setTimeZone)(event.target.value)} />
      </div>
      <WeekHoursEditor week={week} onChange={edited(setWeek)} />
      <HolidaysEditor calendarId={calendar.id} holidays={holidays} onChange={edited(setHolidays)} onImported={(updated) => setHolidays(updated.definition.holidays)} />
      <p className="hint">{t('admin.calendars.recomputeHint')}</p>
      {save.isError && <ErrorMessage error={save.error} />}
      {saved && (
        <p role="status" className="success">
          {t('admin.calendars.saved')}
        </p>
      )}
      <button type="submit" className="button primary" disabled={save.isPending || weekHasProblem(week)}>
        {t('admin.calendars.save')}
      </button>
    </form>
  );
}

/** One calendar: name, time zone, weekly hours with several blocks a day, holidays and .ics import. */
export default function CalendarPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const calendar = useCalendar(id);
  const state = adminState(calendar);
  return (
    <>
      <Link to="/admin/calendars" className="back">
        ← {t('admin.calendars.back')}
      </Link>
      <h1>{calendar.data?.name ?? t('admin.calendars.title')}</h1>
      {state ?? <CalendarEditor key={calendar.data!.id} calendar={calendar.data!} />}
    </>
  );
}
