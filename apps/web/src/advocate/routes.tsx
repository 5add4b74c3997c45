import { Route, Routes } from 'react-router';
import { NotFound } from '../app/status-pages';
import { NewReferral } from './new-referral';
import { ReferralList } from './referral-list';
import { ReferralTimeline } from './timeline';
import './advocate.css';

export default function AdvocateApp() {
  return (
    <Routes>
      <Route index element={<NewReferral />} />
      <Route path="referrals" element={<ReferralList />} />
      <Route path="referrals/:id" element={<ReferralTimeline />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
