import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './layout';
import { ROLE_HOME } from './roles';
import { useSession, type Role } from './session';
import { SignIn } from './signin';
import { Loading, NotAllowed, NotFound } from './status-pages';

type SectionModule = { default: ComponentType };

/**
 * A role's screens as a chunk of their own (a person downloads only their role's code), which can start loading
 * before React asks for it. A chunk already here is handed to React at once (a thenable that answers synchronously):
 * React.lazy would otherwise suspend for a tick, and React holds a revealed fallback back for 300 ms.
 */
function section(load: () => Promise<SectionModule>) {
  let loaded: SectionModule | undefined;
  let loading: Promise<SectionModule> | undefined;
  const preload = (): Promise<SectionModule> =>
    (loading ??= load().then(
      (module) => (loaded = module),
      (error: unknown) => {
        loading = undefined; // a failed download is tried again on the next visit
        throw error;
      },
    ));
  const Component = lazy(() => {
    const here = loaded;
    if (!here) return preload();
    return { then: (resolve: (module: SectionModule) => void) => resolve(here) } as unknown as Promise<SectionModule>;
  });
  return { Component, preload };
}

const SECTIONS = {
  staff: section(() => import('../staff/routes')),
  advocate: section(() => import('../advocate/routes')),
  coordinator: section(() => import('../coordinator/routes')),
  admin: section(() => import('../admin/routes')),
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
