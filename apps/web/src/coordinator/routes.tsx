import { Route, Routes } from 'react-router';
import { NotFound } from '../app/status-pages';
import { Alerts } from './alerts';
import { Capacity } from './capacity';
import { Exports } from './exports';
import { Reports } from './reports';
import { Shelters } from './shelters';
import './coordinator.css';

export default function CoordinatorApp() {
  return (
    <Routes>
      <Route index element={<Capacity />} />
      <Route path="regions/:regionId" element={<Capacity />} />
      <Route path="shelters" element={<Shelters />} />
      <Route path="alerts" element={<Alerts />} />
      <Route path="reports" element={<Reports />} />
      <Route path="exports" element={<Exports />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
