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

/** Every staff screen's code, fetched while there is a connection: a phone that loses it can still open them. */
function useScreensAhead(): void {
  const online = useOnline();
  useEffect(() => {
    if (online) for (const screen of SCREENS) void screen.preload().catch(() => undefined);
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
