import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { AnnouncerProvider } from './app/announcer';
import { client } from './app/client';
import { AppRoutes } from './app/routes';
import { session } from './app/session';
import { applyTheme, savedTheme } from './app/theme';
import { setupI18n } from './i18n';
import './ui/tokens.css';

applyTheme(savedTheme());
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(savedTheme()));
// a page restored from the back-forward cache after sign-out must not show what it held
window.addEventListener('pageshow', (event) => {
  if (event.persisted) window.location.reload();
});

void setupI18n().then(() => {
  // restore the session from the refresh cookie (a reload, a new tab); signed out if there is none
  void session.renew();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <UrqlProvider value={client}>
        <AnnouncerProvider>
          <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}>
            <AppRoutes />
          </BrowserRouter>
        </AnnouncerProvider>
      </UrqlProvider>
    </StrictMode>,
  );
});
