// What a person sees when a screen cannot be shown (its code could not be downloaded, offline, or it failed): words
// in their language and a way on, never a blank page. Moving to another page tries again.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from './page';

function ScreenFailed() {
  const { t } = useTranslation();
  return (
    <Page title={t('screenFailed.title')}>
      <p role="alert">{t('screenFailed.body')}</p>
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        {t('screenFailed.retry')}
      </button>
    </Page>
  );
}

export class ScreenBoundary extends Component<{ resetKey: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    // the console only: no survivor data is in a render error's message, and nothing is sent anywhere
    console.error('screen failed', error, info.componentStack);
  }

  componentDidUpdate(previous: { resetKey: string }): void {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  render(): ReactNode {
    return this.state.failed ? <ScreenFailed /> : this.props.children;
  }
}
