import { PASSWORD } from '../support/fixtures';
import { gql, login } from '../support/gql';
import { dbFingerprint, DOC, expectError } from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * A count change queued on a phone while offline, applied later: `madeAt` says when staff made it. It is kept on
 * the capacity event beside the time it was applied, and occupancy over time counts it when it was made.
 */
describe('count changes made earlier (queued offline)', () => {
  let w: World;
  const ADJUST = `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id occupied version } }`;
  const SET = `mutation($i: SetBedCountsInput!) { setBedCounts(input: $i) { id occupied version } }`;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  it('kept beside the time it was applied, and counted by occupancy in the hour it was made', async () => {
    const madeAt = hoursAgo(3);
    // the phone comes back online after a new sign-in; staff find their pool as the app does, through a query
    const staff = await login(w.api.url, 'staff.a@example.org', PASSWORD);
    const listed = await gql(
      w.api.url,
      `{ shelters(first: 50) { edges { node { name pools { id occupied } } } } }`,
      {},
      staff,
    );
    const mine = (listed.data.shelters.edges as { node: { name: string; pools: { id: string; occupied: number }[] } }[])
      .map((e) => e.node)
      .find((n) => n.name === 'Harbor House North')!;
    const [{ id: poolId, occupied: before }] = mine.pools;
    // the queued change goes out
    const applied = await gql(
      w.api.url,
      ADJUST,
      { i: { poolId, occupiedDelta: 2, reason: 'two arrived', madeAt: madeAt.toISOString() } },
      staff,
    );
    expect(applied.errors).toBeUndefined();
    expect(applied.data.adjustBeds.occupied).toBe(before + 2);
    const event = await w.fx.one<{ made_at: Date; occurred_at: Date }>(
      `SELECT made_at, occurred_at FROM capacity_event WHERE bed_pool_id = $1 ORDER BY id DESC LIMIT 1`,
      [poolId],
    );
    expect(event.made_at.toISOString()).toBe(madeAt.toISOString());
    expect(Date.now() - event.occurred_at.getTime()).toBeLessThan(60_000);

    // the coordinator, signed in afresh, sees the beds filled three hours ago, not just now
    const coordinator = await login(w.api.url, 'coordinator@example.org', PASSWORD);
    const series = await gql(
      w.api.url,
      DOC.occupancy,
      {
        id: w.regions.countyA,
        period: { from: hoursAgo(5).toISOString(), to: new Date().toISOString() },
        bucket: 'HOUR',
      },
      coordinator,
    );
    expect(series.errors).toBeUndefined();
    const points = series.data.occupancy.points as { start: string; end: string; beds: { occupied: number } }[];
    const at = (t: Date) => points.find((p) => new Date(p.start) <= t && t < new Date(p.end))!;
    expect(at(hoursAgo(4)).beds.occupied).toBe(before);
    expect(at(hoursAgo(2)).beds.occupied).toBe(before + 2);
  });

  it('setBedCounts takes it too', async () => {
    const { version, occupied } = await w.fx.poolRow(w.pools.a);
    const r = await gql(
      w.api.url,
      SET,
      {
        i: {
          poolId: w.pools.a,
          expectedVersion: version,
          occupied: occupied - 1,
          outOfService: 0,
          madeAt: hoursAgo(1).toISOString(),
        },
      },
      w.tokens.staffA,
    );
    expect(r.errors).toBeUndefined();
    const event = await w.fx.one<{ made_at: Date | null }>(
      `SELECT made_at FROM capacity_event WHERE bed_pool_id = $1 ORDER BY id DESC LIMIT 1`,
      [w.pools.a],
    );
    expect(event.made_at).not.toBeNull();
  });

  it.each([
    ['in the future', new Date(Date.now() + 10 * 60_000)],
    ['more than 12 hours ago', hoursAgo(13)],
  ])('a change said to be made %s is BAD_USER_INPUT and changes nothing', async (_what, madeAt) => {
    const before = await dbFingerprint(w.fx);
    const r = await gql(
      w.api.url,
      ADJUST,
      { i: { poolId: w.pools.a, occupiedDelta: 1, madeAt: madeAt.toISOString() } },
      w.tokens.staffA,
    );
    expectError(r, 'BAD_USER_INPUT', 'madeAt');
    expect(await dbFingerprint(w.fx)).toEqual(before);
  });

  it("another organisation's pool stays not found, with or without a time", async () => {
    const r = await gql(
      w.api.url,
      ADJUST,
      { i: { poolId: w.pools.a, occupiedDelta: 1, madeAt: hoursAgo(1).toISOString() } },
      w.tokens.staffB,
    );
    expectError(r, 'NOT_FOUND');
  });
});
