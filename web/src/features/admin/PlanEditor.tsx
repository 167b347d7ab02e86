import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { PRIORITIES, type Priority } from '../../app/api.types.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { PAUSABLE_STATUSES, useAdminMutation, type Calendar, type PausableStatus, type Plan, type PlanTargets, type SlaDuration, type TargetKind } from './admin.api.ts';

const KINDS: TargetKind[] = ['firstResponse', 'nextResponse', 'resolution'];
type Unit = 'minutes' | 'hours' | 'days';
type Cell = { amount: string; unit: Unit };

/** How a target reads in the form: whole hours as hours, business days as days, else minutes. */
function toCell(duration: SlaDuration): Cell {
  if ('days' in duration) return { amount: String(duration.days), unit: 'days' };
  return duration.minutes > 0 && duration.minutes % 60 === 0 ? { amount: String(duration.minutes / 60), unit: 'hours' } : { amount: String(duration.minutes), unit: 'minutes' };
}

/** The API models a target as business minutes or business days of the plan's calendar. */
function toDuration(cell: Cell): SlaDuration {
  const amount = Math.max(0, Math.round(Number(cell.amount) || 0));
  if (cell.unit === 'days') return { days: amount };
  return { minutes: cell.unit === 'hours' ? amount * 60 : amount };
}

type Cells = Record<Priority, Record<TargetKind, Cell>>;
const toCells = (targets: PlanTargets) => Object.fromEntries(PRIORITIES.map((priority) => [priority, Object.fromEntries(KINDS.map((kind) => [kind, toCell(targets[priority][kind])]))])) as Cells;
const toTargets = (cells: Cells) => Object.fromEntries(PRIORITIES.map((priority) => [priority, Object.fromEntries(KINDS.map((kind) => [kind, toDuration(cells[priority][kind])]))])) as PlanTargets;

/** A plan's entitlements: calendar, targets per priority, pauses, warnings, senior-only, named TAM, panic quota. */
export function PlanEditor({ plan, calendars }: { plan: Plan; calendars: Calendar[] }) {
  const { t } = useTranslation();
  const [name, setName] = useState(plan.name);
  const [calendarId, setCalendarId] = useState(plan.calendarId);
  const [cells, setCells] = useState<Cells>(() => toCells(plan.targets));
  const [pauseStatuses, setPauseStatuses] = useState<PausableStatus[]>(plan.pauseStatuses);
  const [warnings, setWarnings] = useState(plan.warningThresholds.join(', '));
  const [seniorOnly, setSeniorOnly] = useState(plan.seniorOnly);
  const [namedTam, setNamedTam] = useState(plan.namedTam);
  const [unlimitedPanic, setUnlimitedPanic] = useState(plan.panicQuota === null);
  const [panicQuota, setPanicQuota] = useState(String(plan.panicQuota ?? 0));
  const [saved, setSaved] = useState(false);
  const thresholds = warnings.split(/[\s,;%]+/).filter(Boolean).map(Number);
  const thresholdsValid = thresholds.length <= 5 && thresholds.every((value) => Number.isInteger(value) && value >= 1 && value <= 99);
  const save = useAdminMutation(
    () =>
      api<Plan>(`/plans/${plan.id}`, {
        method: 'PATCH',
        body: { name, calendarId, targets: toTargets(cells), pauseStatuses, warningThresholds: thresholds, seniorOnly, namedTam, panicQuota: unlimitedPanic ? null : Math.max(0, Math.round(Number(panicQuota) || 0)) },
      }),
    [['plans']],
  );
  const setCell = (priority: Priority, kind: TargetKind, cell: Partial<Cell>) => {
    setSaved(false);
    setCells((current) => ({ ...current, [priority]: { ...current[priority], [kind]: { ...current[priority][kind], ...cell } } }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(undefined, { onSuccess: () => setSaved(true) });
  };

  return (
    <form className="panel plan-editor" onSubmit={submit} aria-labelledby={`plan-${plan.id}`}>
      <h2 id={`plan-${plan.id}`}>
        {plan.name} <span className="muted">({plan.code})</span>
      </h2>
      <div className="grid-2">
        <label className="field">
          <span>{t('admin.plans.name')}</span>
          <input required value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <SelectField label={t('admin.plans.calendar')} value={calendarId} onChange={(event) => setCalendarId(event.target.value)}>
          {calendars.map((calendar) => (
            <option key={calendar.id} value={calendar.id}>
              {calendar.name}
            </option>
          ))}
        </SelectField>
      </div>
      <table className="targets">
        <caption>{t('admin.plans.targets')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.plans.priority')}</th>
            {KINDS.map((kind) => (
              <th key={kind} scope="col">
                {t(`admin.plans.kinds.${kind}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PRIORITIES.map((priority) => (
            <tr key={priority}>
              <th scope="row">{priority}</th>
              {KINDS.map((kind) => {
                const cell = cells[priority][kind];
                const what = t('admin.plans.target', { priority, kind: t(`admin.plans.kinds.${kind}`) });
                return (
                  <td key={kind}>
                    <span className="target-cell">
                      <input type="number" min={0} step={1} required value={cell.amount} aria-label={what} onChange={(event) => setCell(priority, kind, { amount: event.target.value })} />
                      <select value={cell.unit} aria-label={t('admin.plans.unitOf', { what })} onChange={(event) => setCell(priority, kind, { unit: event.target.value as Unit })}>
                        {(['minutes', 'hours', 'days'] as const).map((unit) => (
                          <option key={unit} value={unit}>
                            {t(`admin.plans.units.${unit}`)}
                          </option>
                        ))}
                      </select>
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('admin.plans.targetsHint')}</p>
      <div className="grid-2">
        <fieldset className="choice-row">
          <legend>{t('admin.plans.pauseStatuses')}</legend>
          {PAUSABLE_STATUSES.map((status) => (
            <label key={status}>
              <input type="checkbox" checked={pauseStatuses.includes(status)} onChange={(event) => setPauseStatuses((current) => (event.target.checked ? [...current, status] : current.filter((item) => item !== status)))} />{' '}
              {t(`status.${status}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('admin.plans.warnings')}</span>
          <input value={warnings} onChange={(event) => setWarnings(event.target.value)} aria-invalid={!thresholdsValid} aria-describedby={`warnings-hint-${plan.id}`} />
          <span id={`warnings-hint-${plan.id}`} className={thresholdsValid ? 'hint' : 'field-error'}>
            {t('admin.plans.warningsHint')}
          </span>
        </label>
      </div>
      <div className="choice-row">
        <label className="check">
          <input type="checkbox" checked={seniorOnly} onChange={(event) => setSeniorOnly(event.target.checked)} /> {t('admin.plans.seniorOnly')}
        </label>
        <label className="check">
          <input type="checkbox" checked={namedTam} onChange={(event) => setNamedTam(event.target.checked)} /> {t('admin.plans.namedTam')}
        </label>
        <label className="check">
          <input type="checkbox" checked={unlimitedPanic} onChange={(event) => setUnlimitedPanic(event.target.checked)} /> {t('admin.plans.panicUnlimited')}
        </label>
        {!unlimitedPanic && (
          <label className="field inline">
            <span>{t('admin.plans.panicQuota')}</span>
            <input type="number" min={0} max={1000} value={panicQuota} onChange={(event) => setPanicQuota(event.target.value)} />
          </label>
        )}
      </div>
      {save.isError && <ErrorMessage error={save.error} />}
      {saved && (
        <p role="status" className="success">
          {t('admin.plans.saved')}
        </p>
      )}
      <button type="submit" className="button primary" disabled={save.isPending || !thresholdsValid}>
        {t('admin.plans.save', { name: plan.name })}
      </button>
    </form>
  );
}
