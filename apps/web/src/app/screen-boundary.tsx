// What a person sees when a screen cannot be shown (its code could not be downloaded, or it failed): words in their
// language and Try again, never a blank page. Try again, the connection coming back, or another page tries anew.
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { retryFailedScreens } from './lazy-screen';
import { Page } from './page';
import { useSession } from './session';

type Failure = 'download' | 'error';

/** A chunk that did not arrive (Chromium, Firefox and Safari word it differently). */
function failureOf(error: unknown): Failure {
  const message = error instanceof Error ? error.message : '';
  return /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(message)
    ? 'download'
    : 'error';
}

function ScreenFailed({ failure, onRetry }: { failure: Failure; onRetry: () => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <Page title={t('screenFailed.title')}>
      <div role="alert">
        <p>{t(failure === 'download' ? 'screenFailed.download' : 'screenFailed.error')}</p>
        {user?.role === 'SHELTER_STAFF' && <p>{t('screenFailed.queueKept')}</p>}
      </div>
      <button type="button" className="primary" onClick={onRetry}>
        {t('screenFailed.retry')}
      </button>
    </Page>
  );
}

export class ScreenBoundary extends Component<{ resetKey: string; children: ReactNode }, { failure: Failure | null }> {
  state: { failure: Failure | null } = { failure: null };

  static getDerivedStateFromError(error: unknown): { failure: Failure } {
    return { failure: failureOf(error) };
  }

  private readonly retry = () => {
    retryFailedScreens();
    this.setState({ failure: null });
  };

  componentDidMount(): void {
    window.addEventListener('online', this.retry);
  }

  componentWillUnmount(): void {
    window.removeEventListener('online', this.retry);
  }

  componentDidUpdate(previous: { resetKey: string }): void {
    if (this.state.failure && previous.resetKey !== this.props.resetKey) this.retry();
  }

  render(): ReactNode {
    return this.state.failure ? (
      <ScreenFailed failure={this.state.failure} onRetry={this.retry} />
    ) : (
      this.props.children
    );
  }
}
