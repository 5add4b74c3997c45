// The shelter staff's part of the app (phone first): My beds, corrections, offers, arrivals, reminders, settings.
import { Suspense, useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { lazyScreen } from '../app/lazy-screen';
import { Loading, NotFound } from '../app/status-pages';
import { MyBeds } from './beds';
import { CorrectCounts } from './correct';
import { useOnline } from '../app/online';
import { startQueue } from './queue-store';
import './staff.css';

const SCREENS = [
  lazyScreen(() => import('./offers')),
  lazyScreen(() => import('./arrivals')),
  lazyScreen(() => import('./reminders')),
  lazyScreen(() => import('./settings')),
];
const [Offers, Arrivals, Reminders, Settings] = SCREENS.map((screen) => screen.Component);

/**
 * Every staff screen's code, fetched while there is a connection (once My beds has had its turn: when the browser is
 * idle), so a phone that loses it can still open them; tried again when the connection returns or the app regains
 * focus, until all are here.
 */
function useScreensAhead(): void {
  const online = useOnline();
  useEffect(() => {
    if (!online) return;
    const fetchAll = () => {
      for (const screen of SCREENS) void screen.preload().catch(() => undefined);
    };
    const idle = window.requestIdleCallback
      ? window.requestIdleCallback(fetchAll, { timeout: 3_000 })
      : window.setTimeout(fetchAll, 1_000);
    window.addEventListener('focus', fetchAll);
    return () => {
      if (window.cancelIdleCallback) window.cancelIdleCallback(idle);
      else window.clearTimeout(idle);
      window.removeEventListener('focus', fetchAll);
    };
  }, [online]);
}

export default function StaffApp() {
  useEffect(() => startQueue(), []);
  useScreensAhead();
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route index element={<MyBeds />} />
        <Route path="pools/:poolId/correct" element={<CorrectCounts />} />
        <Route path="offers" element={<Offers />} />
        <Route path="arrivals" element={<Arrivals />} />
        <Route path="reminders" element={<Reminders />} />
        <Route path="settings" element={<Settings />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
