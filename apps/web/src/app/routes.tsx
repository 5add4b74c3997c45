import { Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './layout';
import { lazyScreen } from './lazy-screen';
import { ROLE_HOME } from './roles';
import { useSession, type Role } from './session';
import { SignIn } from './signin';
import { Loading, NotAllowed, NotFound } from './status-pages';

// each role's screens are a chunk of their own: a person downloads only their role's code
const SECTIONS = {
  staff: lazyScreen(() => import('../staff/routes')),
  advocate: lazyScreen(() => import('../advocate/routes')),
  coordinator: lazyScreen(() => import('../coordinator/routes')),
  admin: lazyScreen(() => import('../admin/routes')),
};
const StaffApp = SECTIONS.staff.Component;
const AdvocateApp = SECTIONS.advocate.Component;
const CoordinatorApp = SECTIONS.coordinator.Component;
const AdminApp = SECTIONS.admin.Component;

/** Start loading the section an address points at (React gets it at once if it is here by then). */
export function preloadSection(pathname: string): void {
  const name = /^\/app\/(staff|advocate|coordinator|admin)(\/|$)/.exec(pathname)?.[1] as
    keyof typeof SECTIONS | undefined;
  if (name) void SECTIONS[name].preload().catch(() => undefined);
}

/** Signed-out people go to sign-in (coming back here after); another role's pages show "not allowed", no data. */
function RoleGate({ role, children }: { role: Role; children: ReactNode }) {
  const { status, user } = useSession();
  const location = useLocation();
  if (status === 'unknown') return <Loading />;
  if (!user) return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (user.role !== role) return <NotAllowed />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function Home() {
  const { status, user } = useSession();
  if (status === 'unknown') return <Loading />;
  return <Navigate to={user ? ROLE_HOME[user.role] : '/signin'} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="signin" element={<SignIn />} />
        <Route
          path="staff/*"
          element={
            <RoleGate role="SHELTER_STAFF">
              <StaffApp />
            </RoleGate>
          }
        />
        <Route
          path="advocate/*"
          element={
            <RoleGate role="HOTLINE_ADVOCATE">
              <AdvocateApp />
            </RoleGate>
          }
        />
        <Route
          path="coordinator/*"
          element={
            <RoleGate role="REGIONAL_COORDINATOR">
              <CoordinatorApp />
            </RoleGate>
          }
        />
        <Route
          path="admin/*"
          element={
            <RoleGate role="ADMIN">
              <AdminApp />
            </RoleGate>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
