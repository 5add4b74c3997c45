import Redis from 'ioredis';
import { errorCode, gql } from '../support/gql';
import { DOC } from '../support/operations';
import { createWorld, World } from '../support/world';
import { eventually } from '../referrals/harness';

const available = async (w: World, token: string, regionId: string): Promise<number> => {
  const result = await gql(w.api.url, DOC.regionCapacity, { id: regionId }, token);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.regionCapacity.beds.available as number;
};

/**
 * `regionCapacity` reuses a recent answer (REGION_CAPACITY_CACHE_MS, here a minute so nothing expires during the
 * test) until a bed count changes: a change made through this API process is seen at once, one announced by
 * another process (through Redis) as soon as it arrives, and the reused answer is still checked against the
 * caller's scope.
 */
describe('regionCapacity reuse', () => {
  let w: World;
  let redis: Redis;

  beforeAll(async () => {
    w = await createWorld({ REGION_CAPACITY_CACHE_MS: '60000' });
    redis = new Redis(w.env.env.REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await w.close();
  });

  it('a change through the API is read back at once, in the county and the state', async () => {
    const county = await available(w, w.tokens.coordinator, w.regions.countyA);
    const state = await available(w, w.tokens.admin, w.regions.state);
    const adjusted = await gql(
      w.api.url,
      DOC.adjustBeds,
      { input: { poolId: w.pools.a, occupiedDelta: 2 } },
      w.tokens.staffA,
    );
    expect(adjusted.errors).toBeUndefined();
    expect(await available(w, w.tokens.coordinator, w.regions.countyA)).toBe(county - 2);
    expect(await available(w, w.tokens.admin, w.regions.state)).toBe(state - 2);
  });

  it('a change written elsewhere is not seen until it is announced, then at once', async () => {
    const before = await available(w, w.tokens.coordinator, w.regions.countyA);
    // another process's change: the row, without this process hearing of it
    await w.fx.pg.query(`UPDATE bed_pool SET occupied = occupied + 1 WHERE id = $1`, [w.pools.a]);
    expect(await available(w, w.tokens.coordinator, w.regions.countyA)).toBe(before);
    // …until that process announces it, as BedPoolsService does for every change
    await redis.publish(`${w.env.env.REDIS_PREFIX}:bed-availability:${w.regions.countyA}`, JSON.stringify({}));
    await eventually('the announced change to be read', async () =>
      (await available(w, w.tokens.coordinator, w.regions.countyA)) === before - 1 ? true : undefined,
    );
  });

  it('a shelter moving to another region is read at once in both', async () => {
    const countyA = await available(w, w.tokens.admin, w.regions.countyA);
    const countyB = await available(w, w.tokens.admin, w.regions.countyB);
    const [{ available: moving }] = (
      await w.fx.pg.query<{ available: number }>(
        `SELECT sum(available)::int AS available FROM bed_pool WHERE shelter_id = $1`,
        [w.shelters.a],
      )
    ).rows;
    expect(moving).toBeGreaterThan(0);
    const moved = await gql(
      w.api.url,
      DOC.updateShelter,
      { id: w.shelters.a, input: { regionId: w.regions.countyB } },
      w.tokens.staffA,
    );
    expect(moved.errors).toBeUndefined();
    expect(await available(w, w.tokens.admin, w.regions.countyA)).toBe(countyA - moving);
    expect(await available(w, w.tokens.admin, w.regions.countyB)).toBe(countyB + moving);
  });

  it("a reused answer is still refused outside the caller's scope", async () => {
    await available(w, w.tokens.admin, w.regions.countyB);
    const refused = await gql(w.api.url, DOC.regionCapacity, { id: w.regions.countyB }, w.tokens.coordinator);
    expect(errorCode(refused)).toBe('NOT_FOUND');
    expect(errorCode(await gql(w.api.url, DOC.regionCapacity, { id: w.regions.countyB }, w.tokens.staffA))).toBe(
      'FORBIDDEN',
    );
  });
});
