import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { AnnouncerProvider } from './app/announcer';
import { client } from './app/client';
import { AppRoutes, preloadSection } from './app/routes';
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

// at once, side by side: the session from the refresh cookie (a reload, a new tab; signed out if there is none), the
// catalogs, and the code of the section the address points at
void session.renew();
preloadSection(window.location.pathname);
void setupI18n().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <UrqlProvider value={client}>
        <AnnouncerProvider>
          <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}>
            <Suspense fallback={null}>
              <AppRoutes />
            </Suspense>
          </BrowserRouter>
        </AnnouncerProvider>
      </UrqlProvider>
    </StrictMode>,
  );
});
