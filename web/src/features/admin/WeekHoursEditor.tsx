import { useTranslation } from 'react-i18next';
import type { Weekday } from '../../app/api.types.ts';
import type { TimeBlock, WeekHours } from './admin.api.ts';

export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ALL_DAY: TimeBlock = ['00:00', '24:00'];
const OFFICE_DAY: TimeBlock = ['09:00', '17:00'];

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export function isAroundTheClock(week: WeekHours): boolean {
  return WEEKDAYS.every((day) => week[day].length === 1 && week[day][0]![0] === '00:00' && week[day][0]![1] === '24:00');
}

/** What is wrong with a day's blocks (the server refuses the same): a block ending before it starts, or two overlapping. */
export function dayProblem(blocks: TimeBlock[]): 'order' | 'overlap' | 'empty' | null {
  if (blocks.some(([from, to]) => !from || !to)) return 'empty';
  if (blocks.some(([from, to]) => minutesOf(from) >= minutesOf(to))) return 'order';
  const sorted = [...blocks].sort((left, right) => minutesOf(left[0]) - minutesOf(right[0]));
  return sorted.some((block, index) => index > 0 && minutesOf(block[0]) < minutesOf(sorted[index - 1]![1])) ? 'overlap' : null;
}

export function weekHasProblem(week: WeekHours): boolean {
  return WEEKDAYS.some((day) => dayProblem(week[day]) !== null) || WEEKDAYS.every((day) => week[day].length === 0);
}

const timeOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A new block: 09:00–17:00 on an empty day, else the hour after the day's last block (e.g. after a lunch break). */
function nextBlock(blocks: TimeBlock[]): TimeBlock {
  const last = blocks[blocks.length - 1];
  if (!last) return OFFICE_DAY;
  const start = Math.min(minutesOf(last[1]) + 60, 23 * 60);
  return [timeOf(start), timeOf(Math.min(start + 60, 24 * 60))];
}

// A time input cannot show 24:00: a block closing at midnight shows (and is typed as) 00:00.
const toInput = (time: string) => (time === '24:00' ? '00:00' : time);
const fromEndInput = (time: string) => (time === '00:00' ? '24:00' : time);

/** Opening hours per weekday, several blocks a day (a lunch break is two blocks), or 24/7. */
export function WeekHoursEditor({ week, onChange }: { week: WeekHours; onChange(week: WeekHours): void }) {
  const { t } = useTranslation();
  const aroundTheClock = isAroundTheClock(week);
  const setDay = (day: Weekday, blocks: TimeBlock[]) => onChange({ ...week, [day]: blocks });
  const setBlock = (day: Weekday, index: number, block: TimeBlock) => setDay(day, week[day].map((current, at) => (at === index ? block : current)));
  const toggleAroundTheClock = (checked: boolean) =>
    onChange(Object.fromEntries(WEEKDAYS.map((day) => [day, checked ? [ALL_DAY] : ['sat', 'sun'].includes(day) ? [] : [OFFICE_DAY]])) as WeekHours);

  return (
    <fieldset className="hours week-editor">
      <legend>{t('admin.calendars.weeklyHours')}</legend>
      <label className="check">
        <input type="checkbox" checked={aroundTheClock} onChange={(event) => toggleAroundTheClock(event.target.checked)} /> {t('admin.calendars.aroundTheClock')}
      </label>
      {!aroundTheClock && (
        <>
          <p className="hint">{t('admin.calendars.midnightHint')}</p>
          {WEEKDAYS.map((day) => {
            const dayName = t(`days.${day}`);
            const problem = dayProblem(week[day]);
            return (
              <div key={day} className="week-day" role="group" aria-label={dayName}>
                <span className="day">{dayName}</span>
                <div className="blocks">
                  {week[day].length === 0 && <span className="muted">{t('admin.calendars.closed')}</span>}
                  {week[day].map((block, index) => (
                    <span key={index} className="block">
                      <label>
                        <span className="visually-hidden">{t('admin.calendars.opens', { day: dayName, block: index + 1 })}</span>
                        <input type="time" required value={toInput(block[0])} onChange={(event) => setBlock(day, index, [event.target.value, block[1]])} />
                      </label>
                      <span aria-hidden="true">–</span>
                      <label>
                        <span className="visually-hidden">{t('admin.calendars.closes', { day: dayName, block: index + 1 })}</span>
                        <input type="time" required value={toInput(block[1])} onChange={(event) => setBlock(day, index, [block[0], fromEndInput(event.target.value)])} />
                      </label>
                      <button type="button" className="button small" onClick={() => setDay(day, week[day].filter((_, at) => at !== index))} aria-label={t('admin.calendars.removeBlock', { day: dayName, block: index + 1 })}>
                        {t('admin.remove')}
                      </button>
                    </span>
                  ))}
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setDay(day, [...week[day], nextBlock(week[day])])}
                    aria-label={t('admin.calendars.addBlockTo', { day: dayName })}
                  >
                    {t('admin.calendars.addBlock')}
                  </button>
                </div>
                {problem && (
                  <p className="field-error" role="alert">
                    {t(`admin.calendars.problems.${problem}`, { day: dayName })}
                  </p>
                )}
              </div>
            );
          })}
        </>
      )}
    </fieldset>
  );
}
