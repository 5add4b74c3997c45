import { errorCode, gql } from '../support/gql';
import { createWorld, World } from '../support/world';

const ADJUST = `mutation($input: AdjustBedsInput!) { adjustBeds(input: $input) { id occupied outOfService available version } }`;
const SET = `mutation($input: SetBedCountsInput!) { setBedCounts(input: $input) { occupied outOfService available version } }`;

describe('bed counts', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ LOG_LEVEL: 'error' });
  });
  afterAll(() => w.close());

  it('50 concurrent adjustBeds on one pool end with exact counts and never a negative', async () => {
    // 30 admissions and 20 departures race; whatever their order, occupied stays within 0..50
    const pool = await w.fx.pool(w.shelters.a, 'FAMILY_UNIT', 50, { occupied: 20 });
    const deltas = [...Array<number>(30).fill(1), ...Array<number>(20).fill(-1)];
    const results = await Promise.all(
      deltas.map((d) => gql(w.api.url, ADJUST, { input: { poolId: pool, occupiedDelta: d } }, w.tokens.staffA)),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(await w.fx.poolRow(pool)).toMatchObject({ capacity: 50, occupied: 30, available: 20, version: 51 });
    expect(await w.fx.count('capacity_event', 'bed_pool_id = $1', [pool])).toBe(50);
    const versions = results.map((r) => r.data.adjustBeds.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
  });

  it('50 concurrent admissions into 5 free beds: exactly 5 succeed, the rest are refused', async () => {
    const pool = await w.fx.pool(w.shelters.a, 'EMERGENCY_OVERFLOW', 5);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        gql(w.api.url, ADJUST, { input: { poolId: pool, occupiedDelta: 1 } }, w.tokens.staffA),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(5);
    expect(results.filter((r) => errorCode(r) === 'CAPACITY_CONFLICT')).toHaveLength(45);
    expect(await w.fx.poolRow(pool)).toMatchObject({ occupied: 5, available: 0, version: 6 });
  });

  it('refuses an adjustment that would make a count negative, changing nothing', async () => {
    const before = await w.fx.poolRow(w.pools.a);
    const r = await gql(w.api.url, ADJUST, { input: { poolId: w.pools.a, occupiedDelta: -1 } }, w.tokens.staffA);
    expect(errorCode(r)).toBe('CAPACITY_CONFLICT');
    expect(await w.fx.poolRow(w.pools.a)).toEqual(before);
  });

  it('a stale expectedVersion gets VERSION_CONFLICT carrying the current counts', async () => {
    const pool = await w.fx.pool(w.shelters.a, 'ACCESSIBLE', 4);
    const first = await gql(
      w.api.url,
      SET,
      { input: { poolId: pool, expectedVersion: 1, occupied: 2, outOfService: 0 } },
      w.tokens.staffA,
    );
    expect(first.data.setBedCounts).toMatchObject({ occupied: 2, available: 2, version: 2 });
    const stale = await gql(
      w.api.url,
      SET,
      { input: { poolId: pool, expectedVersion: 1, occupied: 3, outOfService: 1 } },
      w.tokens.staffA,
    );
    expect(errorCode(stale)).toBe('VERSION_CONFLICT');
    expect(stale.errors![0].extensions!.current).toMatchObject({
      capacity: 4,
      occupied: 2,
      outOfService: 0,
      version: 2,
    });
    expect(await w.fx.poolRow(pool)).toMatchObject({ occupied: 2, out_of_service: 0, version: 2 });
  });
});
