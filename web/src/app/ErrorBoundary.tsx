import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function Fallback({ onRetry }: { onRetry(): void }) {
  const { t } = useTranslation();
  return (
    <main id="main" className="page narrow">
      <div role="alert" className="error-message">
        <span>{t('errors.SCREEN_FAILED')}</span>
        <button type="button" className="button small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      </div>
    </main>
  );
}

/** A screen that throws while rendering shows a message and a retry, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean; resetKey: string }> {
  state = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(): Partial<{ failed: boolean }> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { failed: boolean; resetKey: string }) {
    return props.resetKey === state.resetKey ? null : { failed: false, resetKey: props.resetKey }; // navigating away recovers
  }

  componentDidCatch(error: unknown): void {
    console.error(error);
  }

  render(): ReactNode {
    return this.state.failed ? <Fallback onRetry={() => this.setState({ failed: false })} /> : this.props.children;
  }
}
