import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { useAnnounce } from './announcer';
import { closeLive } from './client';
import { useOnline } from './online';
import { pendingCount } from './pending';
import { ScreenBoundary } from './screen-boundary';
import { NAV } from './roles';
import { session, useSession } from './session';
import { applyTheme, savedTheme, type Theme } from './theme';

export async function signOutNow(): Promise<void> {
  await session.signOut();
  closeLive();
  // a fresh document: nothing read while signed in stays in memory, and Back shows nothing (offline, a new document
  // cannot load: the page stays, signed out, on the sign-in screen)
  if (navigator.onLine) window.location.replace(`${import.meta.env.BASE_URL}signin?ended=signed-out`);
}

function SignOutButton() {
  const { t } = useTranslation();
  const [pending, setPending] = useState<number | null>(null);
  const ask = async () => {
    const count = await pendingCount();
    if (count > 0) setPending(count);
    else await signOutNow();
  };
  return (
    <>
      <button type="button" onClick={() => void ask()}>
        {t('header.signOut')}
      </button>
      {pending !== null && (
        <div className="modal-overlay">
          <div
            className="dialog"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="signout-title"
            aria-describedby="signout-body"
          >
            <h2 id="signout-title">{t('signOutPending.title')}</h2>
            <p id="signout-body">{t('signOutPending.body', { count: pending })}</p>
            <div className="row">
              <button type="button" className="primary" autoFocus onClick={() => setPending(null)}>
                {t('signOutPending.cancel')}
              </button>
              <button type="button" className="danger" onClick={() => void signOutNow()}>
                {t('signOutPending.confirm')}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}

export function Layout() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const online = useOnline();
  const location = useLocation();
  const announce = useAnnounce();
  const [theme, setTheme] = useState<Theme>(savedTheme);
  const [wasOffline, setWasOffline] = useState(false);

  useEffect(() => {
    if (!online) {
      setWasOffline(true);
      announce(t('offline.banner'));
    } else if (wasOffline) announce(t('offline.back'));
    // announce changes of the connection only
  }, [online]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipLink')}
      </a>
      <header className="app-header">
        <span className="brand">{t('app.name')}</span>
        {user && (
          <nav aria-label={t('header.navigation')}>
            <ul>
              {NAV[user.role].map(([key, path]) => (
                <li key={path}>
                  <NavLink to={path} end>
                    {t(`nav.${key}`)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="header-tools">
          <span className="row">
            <label htmlFor="language" className="tool-label">
              {t('header.language')}
            </label>
            <select id="language" value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
              {LANGUAGES.map((lng) => (
                <option key={lng} value={lng} lang={lng}>
                  {t(`languages.${lng}`)}
                </option>
              ))}
            </select>
          </span>
          <span className="row">
            <label htmlFor="theme" className="tool-label">
              {t('header.theme')}
            </label>
            <select
              id="theme"
              value={theme}
              onChange={(e) => {
                const next = e.target.value as Theme;
                setTheme(next);
                applyTheme(next);
              }}
            >
              {(['system', 'light', 'dark'] as const).map((value) => (
                <option key={value} value={value}>
                  {t(`header.themes.${value}`)}
                </option>
              ))}
            </select>
          </span>
          {user && (
            <>
              <span className="muted signed-in">{t('header.signedInAs', { name: user.displayName })}</span>
              <SignOutButton />
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!online && (
          <p className="banner warning" role="note">
            {t('offline.banner')}
          </p>
        )}
        <ScreenBoundary resetKey={location.pathname}>
          <Outlet />
        </ScreenBoundary>
      </main>
    </>
  );
}
