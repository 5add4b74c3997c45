// The shelter staff's part of the app (phone first): My beds, corrections, offers, arrivals, reminders, settings.
import { lazy, Suspense, useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { Loading, NotFound } from '../app/status-pages';
import { MyBeds } from './beds';
import { CorrectCounts } from './correct';
import { startQueue } from './queue-store';
import './staff.css';

const Offers = lazy(() => import('./offers'));
const Arrivals = lazy(() => import('./arrivals'));
const Reminders = lazy(() => import('./reminders'));
const Settings = lazy(() => import('./settings'));

export default function StaffApp() {
  useEffect(() => startQueue(), []);
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
