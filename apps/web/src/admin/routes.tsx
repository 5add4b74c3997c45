import { Route, Routes } from 'react-router';
import { NotFound } from '../app/status-pages';
import { Audit } from './audit';
import { Organisations } from './organisations';
import { Regions } from './regions';
import { Users } from './users';
import './admin.css';

export default function AdminApp() {
  return (
    <Routes>
      <Route index element={<Organisations />} />
      <Route path="regions" element={<Regions />} />
      <Route path="users" element={<Users />} />
      <Route path="audit" element={<Audit />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
