import { PASSWORD } from '../support/fixtures';
import { gql, login } from '../support/gql';
import { DOC, expectError, uniqueEmail } from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * A pool's recent capacity events, for its own staff, to reconcile after an offline replay: what each change left
 * and moved, the version after it, when it was made (offline) and applied, whether the caller made it. Another
 * provider's pool is not found; other roles are refused; free text and other people stay out of it.
 */
describe('bedPoolEvents', () => {
  let w: World;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  const nodes = (data: { bedPoolEvents: { edges: { node: any }[] } }) => data.bedPoolEvents.edges.map((e) => e.node);

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  it("newest first: kinds, counts, deltas, versions, offline times and the caller's own changes", async () => {
    // staff of provider A sign in afresh and find their pool through a query, as the app does after a replay
    const colleague = await w.fx.user(uniqueEmail('colleague'), 'SHELTER_STAFF', w.orgs.providerA);
    const shelterId = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, { name: 'Harbor Events House' });
    const staff = await login(w.api.url, 'staff.a@example.org', PASSWORD);
    const created = await gql(
      w.api.url,
      DOC.upsertBedPool,
      { input: { shelterId, bedType: 'FAMILY_UNIT', capacity: 6 } },
      staff,
    );
    expect(created.errors).toBeUndefined();
    const listed = await gql(
      w.api.url,
      `{ shelters(first: 50, mine: true) { edges { node { id pools { id bedType version } } } } }`,
      {},
      staff,
    );
    const poolId = listed.data.shelters.edges
      .map((e: { node: { id: string; pools: { id: string }[] } }) => e.node)
      .find((n: { id: string }) => n.id === shelterId).pools[0].id as string;

    const madeAt = hoursAgo(2);
    const adjusted = await gql(
      w.api.url,
      DOC.adjustBeds,
      { input: { poolId, occupiedDelta: 2, reason: 'bed for SL-SECRET-CODE', madeAt: madeAt.toISOString() } },
      staff,
    );
    expect(adjusted.errors).toBeUndefined();
    const colleagueToken = await login(w.api.url, (await emailOf(colleague))!, PASSWORD);
    const set = await gql(
      w.api.url,
      DOC.setBedCounts,
      { input: { poolId, expectedVersion: 2, occupied: 1, outOfService: 1 } },
      colleagueToken,
    );
    expect(set.errors).toBeUndefined();
    expect((await gql(w.api.url, DOC.confirmAvailability, { shelterId }, staff)).errors).toBeUndefined();

    const QUERY = `query($id: ID!, $first: Int, $after: String) {
      bedPoolEvents(poolId: $id, first: $first, after: $after) {
        edges { cursor node { id poolId kind occurredAt madeAt versionAfter capacity occupied held outOfService available
                              capacityDelta occupiedDelta heldDelta outOfServiceDelta madeByYou } }
        pageInfo { endCursor hasNextPage }
      }
    }`;
    const all = await gql(w.api.url, QUERY, { id: poolId }, staff);
    expect(all.errors).toBeUndefined();
    expect(nodes(all.data).map(({ id: _id, occurredAt: _at, ...rest }: any) => rest)).toEqual([
      {
        poolId,
        kind: 'CONFIRMED',
        madeAt: null,
        versionAfter: 3,
        capacity: 6,
        occupied: 1,
        held: 0,
        outOfService: 1,
        available: 4,
        capacityDelta: 0,
        occupiedDelta: 0,
        heldDelta: 0,
        outOfServiceDelta: 0,
        madeByYou: true,
      },
      {
        poolId,
        kind: 'COUNTS_SET',
        madeAt: null,
        versionAfter: 3,
        capacity: 6,
        occupied: 1,
        held: 0,
        outOfService: 1,
        available: 4,
        capacityDelta: 0,
        occupiedDelta: -1,
        heldDelta: 0,
        outOfServiceDelta: 1,
        madeByYou: false,
      },
      {
        poolId,
        kind: 'ADJUSTED',
        madeAt: madeAt.toISOString(),
        versionAfter: 2,
        capacity: 6,
        occupied: 2,
        held: 0,
        outOfService: 0,
        available: 4,
        capacityDelta: 0,
        occupiedDelta: 2,
        heldDelta: 0,
        outOfServiceDelta: 0,
        madeByYou: true,
      },
      {
        poolId,
        kind: 'POOL_CREATED',
        madeAt: null,
        versionAfter: 1,
        capacity: 6,
        occupied: 0,
        held: 0,
        outOfService: 0,
        available: 6,
        capacityDelta: null,
        occupiedDelta: null,
        heldDelta: null,
        outOfServiceDelta: null,
        madeByYou: true,
      },
    ]);
    // no free text, and no one's name
    expect(JSON.stringify(all.data)).not.toContain('SECRET');
    expect(JSON.stringify(all.data)).not.toContain('colleague');

    // paged: two at a time, in the same order
    const first = await gql(w.api.url, QUERY, { id: poolId, first: 2 }, staff);
    expect(first.data.bedPoolEvents.pageInfo.hasNextPage).toBe(true);
    const rest = await gql(
      w.api.url,
      QUERY,
      { id: poolId, first: 2, after: first.data.bedPoolEvents.pageInfo.endCursor },
      staff,
    );
    expect(rest.data.bedPoolEvents.pageInfo).toEqual({ endCursor: expect.any(String), hasNextPage: false });
    expect([...nodes(first.data), ...nodes(rest.data)].map((n) => n.id)).toEqual(nodes(all.data).map((n) => n.id));

    // the colleague sees the same history, with only their own change as theirs
    const theirs = await gql(w.api.url, QUERY, { id: poolId }, colleagueToken);
    expect(nodes(theirs.data).map((n) => n.madeByYou)).toEqual([false, true, false, false]);
  });

  it("the workflow's holds appear as HOLD and HOLD_RELEASED, made by nobody", async () => {
    await w.fx.pg.query(
      `INSERT INTO capacity_event (bed_pool_id, shelter_id, actor_user_id, kind, capacity_before, occupied_before,
         held_before, out_of_service_before, capacity_after, occupied_after, held_after, out_of_service_after,
         version_after)
       VALUES ($1, $2, NULL, 'HOLD', 10, 0, 0, 0, 10, 0, 1, 0, 2)`,
      [w.pools.b, w.shelters.b],
    );
    const r = await gql(
      w.api.url,
      `query($id: ID!) { bedPoolEvents(poolId: $id) { edges { node { kind heldDelta available madeByYou } } } }`,
      { id: w.pools.b },
      w.tokens.staffB,
    );
    expect(nodes(r.data)[0]).toEqual({ kind: 'HOLD', heldDelta: 1, available: 9, madeByYou: false });
  });

  it("another provider's pool is not found; advocates, coordinators and admins are refused", async () => {
    const q = `query($id: ID!) { bedPoolEvents(poolId: $id) { edges { node { id } } } }`;
    expectError(await gql(w.api.url, q, { id: w.pools.a }, w.tokens.staffB), 'NOT_FOUND');
    for (const role of ['advocate', 'coordinator', 'admin'] as const) {
      expectError(await gql(w.api.url, q, { id: w.pools.a }, w.tokens[role]), 'FORBIDDEN');
    }
    expectError(await gql(w.api.url, q, { id: w.pools.a }), 'UNAUTHENTICATED');
  });

  async function emailOf(id: string): Promise<string | undefined> {
    return (await w.fx.one<{ email: string }>(`SELECT email FROM app_user WHERE id = $1`, [id]))?.email;
  }
});
