import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { FormActions } from '../../ui/FormActions.tsx';
import { TimeZoneSelect } from '../../ui/TimeZoneSelect.tsx';
import { useAdminMutation, useCalendars, usePlans, type Calendar } from './admin.api.ts';
import { adminState, AdminTable } from './AdminState.tsx';
import { WEEKDAYS } from './WeekHoursEditor.tsx';

function NewCalendarForm({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const create = useAdminMutation(
    () => {
      const week = Object.fromEntries(WEEKDAYS.map((day) => [day, ['sat', 'sun'].includes(day) ? [] : [['09:00', '17:00']]]));
      return api<Calendar>('/calendars', { method: 'POST', body: { name, definition: { timeZone, week, holidays: [] } } });
    },
    [['calendars']],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(undefined, { onSuccess: (calendar) => navigate(`/admin/calendars/${calendar.id}`) });
  };
  return (
    <form className="form" onSubmit={submit}>
      <label className="field">
        <span>{t('admin.calendars.name')}</span>
        <input required value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <TimeZoneSelect label={t('admin.calendars.timeZone')} value={timeZone} onChange={(event) => setTimeZone(event.target.value)} />
      <p className="hint">{t('admin.calendars.newHint')}</p>
      {create.isError && <ErrorMessage error={create.error} />}
      <FormActions submitLabel={t('admin.calendars.create')} onCancel={onDone} disabled={create.isPending} />
    </form>
  );
}

/** Business calendars: zone, weekly hours at a glance, holidays, which plans use each. */
export default function CalendarsPage() {
  const { t } = useTranslation();
  const calendars = useCalendars();
  const plans = usePlans();
  const [creating, setCreating] = useState(false);
  const state = adminState(calendars);
  if (state) return state;
  return (
    <>
      <div className="queue-head">
        <h1>{t('admin.calendars.title')}</h1>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          {t('admin.calendars.new')}
        </button>
      </div>
      <AdminTable caption={t('admin.calendars.title')} columns={[t('admin.calendars.name'), t('admin.calendars.timeZone'), t('admin.calendars.hours'), t('admin.holidays.title'), t('admin.calendars.plans')]}>
          {calendars.data!.map((calendar) => {
            const { week } = calendar.definition;
            const open = WEEKDAYS.filter((day) => week[day].length > 0);
            return (
              <tr key={calendar.id}>
                <td>
                  <Link className="subject-link" to={`/admin/calendars/${calendar.id}`}>
                    {calendar.name}
                  </Link>
                </td>
                <td>{calendar.definition.timeZone}</td>
                <td>{calendar.isTwentyFourSeven ? t('admin.calendars.aroundTheClock') : open.map((day) => `${t(`admin.calendars.short.${day}`)} ${week[day].map((block) => block.join('–')).join(', ')}`).join(' · ')}</td>
                <td>{calendar.definition.holidays.length}</td>
                <td>{(plans.data ?? []).filter((plan) => plan.calendarId === calendar.id).map((plan) => plan.name).join(', ') || '—'}</td>
              </tr>
            );
          })}
        </AdminTable>
      <Dialog open={creating} onOpenChange={setCreating} title={t('admin.calendars.new')}>
        {creating && <NewCalendarForm onDone={() => setCreating(false)} />}
      </Dialog>
    </>
  );
}
