import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCalendars, usePlans } from './admin.api.ts';
import { adminState } from './AdminState.tsx';
import { PlanEditor } from './PlanEditor.tsx';

/** Support plans, one editor each; their calendars are edited under Calendars. */
export default function PlansPage() {
  const { t } = useTranslation();
  const plans = usePlans();
  const calendars = useCalendars();
  const state = adminState(plans) ?? adminState(calendars);
  return (
    <>
      <h1>{t('admin.plans.title')}</h1>
      <p className="muted">
        {t('admin.plans.intro')} <Link to="/admin/calendars">{t('admin.plans.toCalendars')}</Link>
      </p>
      {state ?? plans.data!.map((plan) => <PlanEditor key={plan.id} plan={plan} calendars={calendars.data!} />)}
    </>
  );
}
