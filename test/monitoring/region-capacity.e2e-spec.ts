import { createTestEnv, RunningApi, startApi, TestEnv } from '../support/app';
import { Fixtures } from '../support/fixtures';
import { collect, errorCode, gql, login, wsClient } from '../support/gql';

const PASSWORD = 'correct horse battery staple';

const COUNTS = 'capacity occupied held outOfService available availableAtPausedShelters';
const CAPACITY = `query($id: ID!) {
  regionCapacity(regionId: $id) {
    regionId regionName byType { bedType ${COUNTS} } beds { ${COUNTS} } surge { ${COUNTS} }
    shelters pausedShelters sheltersTakingIntakesNow staleShelters asOf
  }
}`;
const WATCH = `subscription($id: ID!) { regionCapacityChanged(regionId: $id) { beds { ${COUNTS} } shelters } }`;

/** `atPaused`: free beds of paused shelters, counted apart and never as available. */
const counts = (capacity: number, occupied: number, held: number, outOfService: number, atPaused = 0) => ({
  capacity,
  occupied,
  held,
  outOfService,
  available: capacity - occupied - held - outOfService - atPaused,
  availableAtPausedShelters: atPaused,
});

/**
 * A hand-built state: county A (with district A1 below it) and county B. The figures below were added up by
 * hand from the pools in `beforeAll`: county A counts its own shelter and both of A1's, never B's.
 */
const COUNTY_A = {
  byType: [
    // 10/4/1/1 + 6/2/0/0 + 4/0/2/0: 6 free, and A1 Paused's 4 free beds apart
    { bedType: 'SINGLE', ...counts(20, 6, 3, 1, 4) },
    { bedType: 'FAMILY_UNIT', ...counts(3, 3, 0, 0) },
    { bedType: 'ACCESSIBLE', ...counts(2, 0, 0, 2) },
    { bedType: 'CRIB', ...counts(0, 0, 0, 0) },
  ],
  beds: counts(25, 9, 3, 3, 4),
  surge: counts(5, 1, 0, 0),
  shelters: 3,
  pausedShelters: 1, // A1 Paused
  sheltersTakingIntakesNow: 1, // A Open; A1 Paused is paused, A1 Closed Desk has no intake window
  staleShelters: 1, // A1 Paused, verified two days ago
};

describe('regionCapacity and regionCapacityChanged', () => {
  let env: TestEnv;
  let api: RunningApi;
  let fx: Fixtures;
  const r: Record<string, string> = {};
  const t: Record<string, string> = {};
  let closedDeskPool: string;

  beforeAll(async () => {
    env = await createTestEnv();
    fx = new Fixtures(env.db.url);
    r.state = await fx.region('ST', 'Stateland');
    r.a = await fx.region('ST-A', 'Alder County', r.state);
    r.a1 = await fx.region('ST-A-1', 'Alder North', r.a);
    r.b = await fx.region('ST-B', 'Birch County', r.state);
    const provider = await fx.organisation('Harbor House', 'SHELTER_PROVIDER');
    const agency = await fx.organisation('Lifeline', 'REFERRAL_AGENCY');
    const coalition = await fx.organisation('Coalition', 'COORDINATING_BODY');
    await fx.user('coord.a@example.org', 'REGIONAL_COORDINATOR', coalition, [r.a]);
    await fx.user('coord.state@example.org', 'REGIONAL_COORDINATOR', coalition, [r.state]);
    await fx.user('coord.b@example.org', 'REGIONAL_COORDINATOR', coalition, [r.b]);
    await fx.user('admin@example.org', 'ADMIN', null);
    await fx.user('staff@example.org', 'SHELTER_STAFF', provider);
    await fx.user('advocate@example.org', 'HOTLINE_ADVOCATE', agency);

    const open = await fx.shelter(provider, r.a, { name: 'A Open' });
    await fx.pool(open, 'SINGLE', 10, { occupied: 4, held: 1, outOfService: 1 });
    await fx.pool(open, 'FAMILY_UNIT', 3, { occupied: 3 });
    await fx.pool(open, 'EMERGENCY_OVERFLOW', 5, { occupied: 1 });
    const paused = await fx.shelter(provider, r.a1, { name: 'A1 Paused', status: 'PAUSED', verifiedMinutesAgo: 2880 });
    await fx.pool(paused, 'SINGLE', 6, { occupied: 2 });
    await fx.pool(paused, 'ACCESSIBLE', 2, { outOfService: 2 });
    const closed = await fx.shelter(provider, r.a1, {
      name: 'A1 Closed Desk',
      intakeAlwaysOpen: false,
      intakeDays: [],
      intakeOpens: '09:00',
      intakeCloses: '10:00',
    });
    closedDeskPool = await fx.pool(closed, 'SINGLE', 4, { held: 2 });
    const elsewhere = await fx.shelter(provider, r.b, { name: 'B Elsewhere' });
    await fx.pool(elsewhere, 'SINGLE', 100);

    api = await startApi(env);
    for (const who of ['coord.a', 'coord.state', 'coord.b', 'admin', 'staff', 'advocate']) {
      t[who] = await login(api.url, `${who}@example.org`, PASSWORD);
    }
  });
  afterAll(async () => {
    await api?.close();
    await fx?.close();
    await env?.cleanup();
  });

  it('adds up every pool of the region and the regions below it, surge beds apart', async () => {
    const res = await gql(api.url, CAPACITY, { id: r.a }, t['coord.a']);
    expect(res.errors).toBeUndefined();
    expect(res.data.regionCapacity).toMatchObject({ regionId: r.a, regionName: 'Alder County', ...COUNTY_A });
    expect(Math.abs(Date.parse(res.data.regionCapacity.asOf) - Date.now())).toBeLessThan(60_000);
  });

  it('a district below the coordinator’s county is theirs too; the state counts both counties', async () => {
    const district = await gql(api.url, CAPACITY, { id: r.a1 }, t['coord.a']);
    expect(district.data.regionCapacity).toMatchObject({
      beds: counts(12, 2, 2, 2, 4),
      surge: counts(0, 0, 0, 0),
      shelters: 2,
      pausedShelters: 1,
      sheltersTakingIntakesNow: 0,
      staleShelters: 1,
    });
    const state = await gql(api.url, CAPACITY, { id: r.state }, t['coord.state']);
    expect(state.data.regionCapacity).toMatchObject({ beds: counts(125, 9, 3, 3, 4), shelters: 4 });
    // an admin may look at any region
    const admin = await gql(api.url, CAPACITY, { id: r.a }, t.admin);
    expect(admin.data.regionCapacity).toMatchObject(COUNTY_A);
  });

  it('a region outside the coordinator’s scope, above it or beside it, is not found', async () => {
    expect(errorCode(await gql(api.url, CAPACITY, { id: r.b }, t['coord.a']))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, CAPACITY, { id: r.state }, t['coord.a']))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, CAPACITY, { id: r.a }, t['coord.b']))).toBe('NOT_FOUND');
  });

  it('shelter staff, advocates and anonymous callers are refused', async () => {
    expect(errorCode(await gql(api.url, CAPACITY, { id: r.a }, t.staff))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, CAPACITY, { id: r.a }, t.advocate))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, CAPACITY, { id: r.a }))).toBe('UNAUTHENTICATED');
  });

  it('bad region ids: not an id is a clear input error, an unknown one is not found', async () => {
    const bad = await gql(api.url, CAPACITY, { id: 'county-a' }, t['coord.a']);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const unknown = await gql(api.url, CAPACITY, { id: '00000000-0000-4000-8000-000000000000' }, t['coord.a']);
    expect(errorCode(unknown)).toBe('NOT_FOUND');
  });

  it('live: a coordinator watching the county gets its capacity again after a change below it', async () => {
    const client = wsClient(api.url, t['coord.a']);
    const watch = collect(client, WATCH, { id: r.a });
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the subscription reach Redis
    const staffToken = t.staff;
    const adjust = await gql(
      api.url,
      `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id } }`,
      { i: { poolId: closedDeskPool, occupiedDelta: 1, reason: 'a resident arrived' } },
      staffToken,
    );
    expect(adjust.errors).toBeUndefined();
    const event = await watch.next(1);
    expect(event.data.regionCapacityChanged).toEqual({ beds: counts(25, 10, 3, 3, 4), shelters: 3 });
    await client.dispose();
    await fx.pg.query(`UPDATE bed_pool SET occupied = occupied - 1 WHERE id = $1`, [closedDeskPool]);
  });

  it('live: a coordinator cannot watch a region outside their scope; staff and advocates cannot watch at all', async () => {
    for (const [token, code] of [
      [t['coord.b'], 'NOT_FOUND'],
      [t.staff, 'FORBIDDEN'],
      [t.advocate, 'FORBIDDEN'],
    ]) {
      const client = wsClient(api.url, token);
      const watch = collect(client, WATCH, { id: r.a });
      const result = await watch.next(1, 3000).catch(() => undefined);
      const errors = (result?.errors ?? (watch.error as any[])) as { extensions?: { code?: string } }[];
      expect(errors?.[0]?.extensions?.code).toBe(code);
      await client.dispose();
    }
  });
});
