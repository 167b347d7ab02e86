import { useTranslation } from 'react-i18next';

/** The end of a dialog form: Cancel, then the submit button (disabled while saving or when the form is not ready). */
export function FormActions({ submitLabel, onCancel, disabled }: { submitLabel: string; onCancel(): void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className="button primary" disabled={disabled}>
        {submitLabel}
      </button>
    </div>
  );
}
