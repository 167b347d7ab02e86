import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';

/** An API failure as a sentence in the user's language, from the error's stable code. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  const code = error instanceof ApiError ? error.code : 'UNKNOWN';
  const key = `errors.${code}`;
  const text = i18n.exists(key) ? t(key) : t('errors.UNKNOWN', { code });
  return (
    <div role="alert" className="error-message">
      <span>{text}</span>
      {onRetry && (
        <button type="button" className="button small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
