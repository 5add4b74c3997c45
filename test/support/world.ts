import { createTestEnv, RunningApi, startApi, TestEnv } from './app';
import { Fixtures } from './fixtures';
import { login } from './gql';

/**
 * A small network every access test can reason about: two shelter providers (A in county A, B in county B),
 * a referral agency, a coordinating body whose coordinator watches county A only, and an admin.
 */
export interface World {
  env: TestEnv;
  api: RunningApi;
  fx: Fixtures;
  regions: { state: string; countyA: string; countyB: string };
  orgs: { providerA: string; providerB: string; agency: string; coordination: string };
  users: { staffA: string; staffB: string; advocate: string; coordinator: string; admin: string };
  tokens: { staffA: string; staffB: string; advocate: string; coordinator: string; admin: string };
  shelters: { a: string; b: string; aPublic: string };
  pools: { a: string; b: string };
  close(): Promise<void>;
}

export async function createWorld(overrides: Record<string, string> = {}): Promise<World> {
  const env = await createTestEnv(overrides);
  const fx = new Fixtures(env.db.url);
  const state = await fx.region('ST', 'Stateland');
  const countyA = await fx.region('ST-A', 'Alder County', state);
  const countyB = await fx.region('ST-B', 'Birch County', state);
  const providerA = await fx.organisation('Harbor House', 'SHELTER_PROVIDER');
  const providerB = await fx.organisation('Beacon Homes', 'SHELTER_PROVIDER');
  const agency = await fx.organisation('Lifeline Hotline', 'REFERRAL_AGENCY');
  const coordination = await fx.organisation('State Coalition', 'COORDINATING_BODY');
  const users = {
    staffA: await fx.user('staff.a@example.org', 'SHELTER_STAFF', providerA),
    staffB: await fx.user('staff.b@example.org', 'SHELTER_STAFF', providerB),
    advocate: await fx.user('advocate@example.org', 'HOTLINE_ADVOCATE', agency),
    coordinator: await fx.user('coordinator@example.org', 'REGIONAL_COORDINATOR', coordination, [countyA]),
    admin: await fx.user('admin@example.org', 'ADMIN', null),
  };
  const a = await fx.shelter(providerA, countyA, { name: 'Harbor House North', address: '12 Hidden Road' });
  const b = await fx.shelter(providerB, countyB, { name: 'Beacon Home', address: '99 Unseen Street', latitude: 30.5 });
  const aPublic = await fx.shelter(providerA, countyA, {
    name: 'Harbor Open Door',
    locationConfidential: false,
    address: '5 Main Street',
  });
  const pools = { a: await fx.pool(a, 'SINGLE', 10), b: await fx.pool(b, 'SINGLE', 10) };
  const api = await startApi(env);
  const tokens = {
    staffA: await login(api.url, 'staff.a@example.org', 'correct horse battery staple'),
    staffB: await login(api.url, 'staff.b@example.org', 'correct horse battery staple'),
    advocate: await login(api.url, 'advocate@example.org', 'correct horse battery staple'),
    coordinator: await login(api.url, 'coordinator@example.org', 'correct horse battery staple'),
    admin: await login(api.url, 'admin@example.org', 'correct horse battery staple'),
  };
  return {
    env,
    api,
    fx,
    regions: { state, countyA, countyB },
    orgs: { providerA, providerB, agency, coordination },
    users,
    tokens,
    shelters: { a, b, aPublic },
    pools,
    close: async () => {
      await api.close();
      await fx.close();
      await env.cleanup();
    },
  };
}
