import type { Role } from './session';

/** Each role's part of the app, under /app/<path>. */
export const ROLE_HOME: Record<Role, string> = {
  SHELTER_STAFF: '/staff',
  HOTLINE_ADVOCATE: '/advocate',
  REGIONAL_COORDINATOR: '/coordinator',
  ADMIN: '/admin',
};

export type NavKey =
  | 'staff.beds'
  | 'staff.offers'
  | 'staff.arrivals'
  | 'staff.reminders'
  | 'staff.settings'
  | 'advocate.new'
  | 'advocate.referrals'
  | 'coordinator.capacity'
  | 'coordinator.shelters'
  | 'coordinator.alerts'
  | 'coordinator.reports'
  | 'coordinator.exports'
  | 'admin.organisations'
  | 'admin.regions'
  | 'admin.users'
  | 'admin.audit';

/** The header's links per role: [catalog key under nav., path]. */
export const NAV: Record<Role, [NavKey, string][]> = {
  SHELTER_STAFF: [
    ['staff.beds', '/staff'],
    ['staff.offers', '/staff/offers'],
    ['staff.arrivals', '/staff/arrivals'],
    ['staff.reminders', '/staff/reminders'],
    ['staff.settings', '/staff/settings'],
  ],
  HOTLINE_ADVOCATE: [
    ['advocate.new', '/advocate'],
    ['advocate.referrals', '/advocate/referrals'],
  ],
  REGIONAL_COORDINATOR: [
    ['coordinator.capacity', '/coordinator'],
    ['coordinator.shelters', '/coordinator/shelters'],
    ['coordinator.alerts', '/coordinator/alerts'],
    ['coordinator.reports', '/coordinator/reports'],
    ['coordinator.exports', '/coordinator/exports'],
  ],
  ADMIN: [
    ['admin.organisations', '/admin'],
    ['admin.regions', '/admin/regions'],
    ['admin.users', '/admin/users'],
    ['admin.audit', '/admin/audit'],
  ],
};
