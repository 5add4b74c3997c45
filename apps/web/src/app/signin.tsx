import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useErrorText } from './errors';
import { Page } from './page';
import { ROLE_HOME } from './roles';
import { session, useSession, type GraphQLErrorShape } from './session';

const field = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/** Only a path inside the app may follow sign-in (never another site). */
function safeNext(next: string | null): string | null {
  return next && /^\/[a-z]/.test(next) && !next.startsWith('//') ? next : null;
}

export function SignIn() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { status, user, ended } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<GraphQLErrorShape | null>(null);

  if (status === 'signed-in' && user && !busy)
    return <Navigate to={safeNext(params.get('next')) ?? ROLE_HOME[user.role]} replace />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const failure = await session.signIn(field(form, 'email'), field(form, 'password'));
      if (failure) setError(failure);
      else {
        const signedIn = session.get().user;
        if (signedIn) await navigate(safeNext(params.get('next')) ?? ROLE_HOME[signedIn.role], { replace: true });
      }
    } catch {
      setError({ message: 'network', extensions: { code: 'NETWORK' } });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('signIn.title')}>
      {ended === 'expired' && <p className="banner info">{t('signIn.expired')}</p>}
      {(ended === 'signed-out' || params.get('ended') === 'signed-out') && (
        <p className="banner info">{t('signIn.signedOut')}</p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {errorText(error)}
        </p>
      )}
      <form method="post" onSubmit={(e) => void submit(e)} style={{ maxWidth: '24rem' }}>
        <div className="field">
          <label htmlFor="email">{t('signIn.email')}</label>
          <input id="email" name="email" type="email" autoComplete="username" required spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="password">{t('signIn.password')}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.working') : t('signIn.submit')}
        </button>
      </form>
    </Page>
  );
}
