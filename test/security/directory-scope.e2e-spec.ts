import { collect, gql, GqlResult, login, wsClient } from '../support/gql';
import { DOC, expectError, needs, referralFixture, SIGNED_IN, SignedInRole } from '../support/operations';
import { createWorld, World } from '../support/world';
import { PASSWORD } from '../support/fixtures';

/**
 * Who reads which part of the directory. A coordinator's directory is the shelters of their regions (`shelters`,
 * `shelter`, `searchBeds`, `bedAvailabilityChanged`); everyone else's is the network. A pool's breakdown (occupied,
 * held, out of service, version, last change) is for the shelter's staff, its region's coordinators and admins:
 * a hold means a survivor is on the way. Everyone else sees capacity and free beds, and does not hear of a change
 * that moved beds within the breakdown only (a held bed becoming occupied at intake).
 */
const POOLS = `query($id: ID!) {
  shelter(id: $id) { id pools { id capacity occupied held outOfService available version updatedAt } }
}`;
const DIRECTORY = `query($after: String) {
  shelters(first: 100, after: $after) { edges { node { id regionId pools { id held occupied available } } }
    pageInfo { endCursor hasNextPage } }
}`;
const SUBSCRIBE = `subscription($regionId: ID!) {
  bedAvailabilityChanged(regionId: $regionId) { poolId capacity occupied held outOfService available version }
}`;
const EMAILS: Record<SignedInRole, string> = {
  staffA: 'staff.a@example.org',
  staffB: 'staff.b@example.org',
  advocate: 'advocate@example.org',
  coordinator: 'coordinator@example.org',
  admin: 'admin@example.org',
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('directory scope and the bed breakdown', () => {
  let w: World;
  let held: { offerId: string; poolId: string; shelterId: string };
  beforeAll(async () => {
    w = await createWorld();
    // an accepted offer at a confidential shelter of provider A in county A: one bed of its pool is held
    const fixture = await referralFixture(w, 'ACCEPTED', { offerTo: 'A' });
    held = { offerId: fixture.offerId!, poolId: fixture.poolId!, shelterId: fixture.shelterId! };
  });
  afterAll(() => w.close());

  // the shelter's staff, the coordinator of county A, admins
  const insiders: SignedInRole[] = ['staffA', 'coordinator', 'admin'];

  it.each(SIGNED_IN)('a held bed as %s (signed in afresh)', async (role) => {
    const token = await login(w.api.url, EMAILS[role], PASSWORD);
    const r = await gql(w.api.url, POOLS, { id: held.shelterId }, token);
    expect(r.errors).toBeUndefined();
    const pool = r.data.shelter.pools.find((p: { id: string }) => p.id === held.poolId);
    if (insiders.includes(role)) {
      expect(pool).toMatchObject({ capacity: 4, occupied: 0, held: 1, outOfService: 0, available: 3 });
      expect(pool.version).toEqual(expect.any(Number));
      expect(pool.updatedAt).toEqual(expect.any(String));
    } else {
      expect(pool).toEqual({
        id: held.poolId,
        capacity: 4,
        available: 3,
        occupied: null,
        held: null,
        outOfService: null,
        version: null,
        updatedAt: null,
      });
    }
  });

  it.each(SIGNED_IN)('the directory as %s: whose shelters, and whose breakdown', async (role) => {
    const nodes: { id: string; regionId: string; pools: { held: number | null; occupied: number | null }[] }[] = [];
    let after: string | null = null;
    do {
      const r: GqlResult = await gql(w.api.url, DIRECTORY, { after }, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      nodes.push(...r.data.shelters.edges.map((e: { node: (typeof nodes)[number] }) => e.node));
      after = r.data.shelters.pageInfo.hasNextPage ? r.data.shelters.pageInfo.endCursor : null;
    } while (after);
    const ids = nodes.map((n) => n.id);
    if (role === 'coordinator') {
      expect(ids).toEqual(expect.arrayContaining([w.shelters.a, w.shelters.aPublic]));
      expect(ids).not.toContain(w.shelters.b);
      expect(new Set(nodes.map((n) => n.regionId))).toEqual(new Set([w.regions.countyA]));
    } else {
      expect(ids).toEqual(expect.arrayContaining([w.shelters.a, w.shelters.b, w.shelters.aPublic]));
    }
    const providerA = await w.fx.pg.query<{ id: string }>(`SELECT id FROM shelter WHERE organisation_id = $1`, [
      w.orgs.providerA,
    ]);
    const providerB = await w.fx.pg.query<{ id: string }>(`SELECT id FROM shelter WHERE organisation_id = $1`, [
      w.orgs.providerB,
    ]);
    const ownOrgShelters: Record<SignedInRole, string[]> = {
      staffA: providerA.rows.map((row) => row.id),
      staffB: providerB.rows.map((row) => row.id),
      advocate: [],
      coordinator: ids,
      admin: ids,
    };
    for (const node of nodes) {
      const sees = ownOrgShelters[role].includes(node.id);
      for (const pool of node.pools) {
        expect({ shelter: node.id, breakdown: pool.held !== null && pool.occupied !== null }).toEqual({
          shelter: node.id,
          breakdown: sees,
        });
      }
    }
  });

  it('a coordinator reads no shelter outside their regions: shelter(id) is NOT_FOUND, as for an unknown id', async () => {
    const r = await gql(w.api.url, POOLS, { id: w.shelters.b }, w.tokens.coordinator);
    expectError(r, 'NOT_FOUND');
    expect(r.data ?? null).toBeNull();
    const listed = await gql(
      w.api.url,
      DOC.shelters,
      { first: 100, regionId: w.regions.countyB },
      w.tokens.coordinator,
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data.shelters.edges).toEqual([]);
  });

  it("the directory export is the caller's directory too, and gives no pool's last change", async () => {
    const directory = async (role: SignedInRole, query = '') => {
      const res = await fetch(`${w.api.url}/exports/directory.hsds.json?per_page=500${query}`, {
        headers: { authorization: `Bearer ${w.tokens[role]}` },
      });
      return { status: res.status, body: (await res.json()) as { contents: { id: string; capacities: object[] }[] } };
    };
    const coordinator = await directory('coordinator');
    const ids = coordinator.body.contents.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([w.shelters.a, w.shelters.aPublic]));
    expect(ids).not.toContain(w.shelters.b);
    expect((await directory('coordinator', `&regionId=${w.regions.countyB}`)).status).toBe(404);
    expect((await directory('advocate')).body.contents.map((c) => c.id)).toContain(w.shelters.b);
    // the capacities' time is when staff last confirmed the counts, the same for every pool of a shelter: an intake
    // (a held bed becoming occupied) moves no clock anyone else reads
    const arriving = await referralFixture(w, 'ACCEPTED', { offerTo: 'A' });
    const before = JSON.stringify(
      (await directory('advocate')).body.contents.find((c) => c.id === arriving.shelterId)!.capacities,
    );
    const intake = await gql(w.api.url, DOC.confirmIntake, { offerId: arriving.offerId }, w.tokens.staffA);
    expect(intake.errors).toBeUndefined();
    const after = (await directory('advocate')).body.contents.find((c) => c.id === arriving.shelterId)!;
    expect(JSON.stringify(after.capacities)).toBe(before);
  });

  it('searchBeds: a coordinator searches the shelters of their regions; an advocate the network', async () => {
    const search = async (role: SignedInRole) => {
      const r = await gql(w.api.url, DOC.searchBeds, { needs: needs(), first: 50 }, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      return r.data.searchBeds as {
        matches: { shelter: { id: string; regionId: string } }[];
        examinedShelters: number;
      };
    };
    const coordinator = await search('coordinator');
    const advocate = await search('advocate');
    expect(advocate.matches.map((m) => m.shelter.id)).toContain(w.shelters.b);
    expect(coordinator.matches.map((m) => m.shelter.id)).not.toContain(w.shelters.b);
    expect(coordinator.matches.length).toBeGreaterThan(0);
    expect(new Set(coordinator.matches.map((m) => m.shelter.regionId))).toEqual(new Set([w.regions.countyA]));
    expect(coordinator.examinedShelters).toBeLessThan(advocate.examinedShelters);
  });

  it('live: an intake (held → occupied) reaches those who see the breakdown only; free beds reach everyone', async () => {
    const sockets = Object.fromEntries(SIGNED_IN.map((role) => [role, wsClient(w.api.url, w.tokens[role])]));
    const subs = Object.fromEntries(
      SIGNED_IN.map((role) => [role, collect(sockets[role], SUBSCRIBE, { regionId: w.regions.countyA })]),
    ) as Record<SignedInRole, ReturnType<typeof collect<Record<string, Record<string, unknown>>>>>;
    try {
      await pause(500); // every subscription reaches Redis
      const intake = await gql(w.api.url, DOC.confirmIntake, { offerId: held.offerId }, w.tokens.staffA);
      expect(intake.errors).toBeUndefined();
      // then a change everyone hears: a bed of the same pool taken out of service
      const repair = await gql(
        w.api.url,
        DOC.adjustBeds,
        { input: { poolId: held.poolId, occupiedDelta: 0, outOfServiceDelta: 1, reason: 'repairs' } },
        w.tokens.staffA,
      );
      expect(repair.errors).toBeUndefined();
      for (const role of SIGNED_IN) {
        const sub = subs[role];
        const ofPool = async (count: number) => {
          await sub.next(count, 5000);
          return sub.events.map((e) => e.data!.bedAvailabilityChanged).filter((c) => c.poolId === held.poolId);
        };
        if (insiders.includes(role)) {
          const [atIntake, atRepair] = await ofPool(2);
          expect(atIntake).toMatchObject({ occupied: 1, held: 0, available: 3 });
          expect(atRepair).toMatchObject({ occupied: 1, held: 0, outOfService: 1, available: 2 });
        } else {
          const heard = await ofPool(1);
          await pause(200);
          // the repair only: nothing told them that someone arrived
          expect(sub.events).toHaveLength(1);
          expect(heard).toEqual([
            {
              poolId: held.poolId,
              capacity: 4,
              available: 2,
              occupied: null,
              held: null,
              outOfService: null,
              version: null,
            },
          ]);
        }
      }
    } finally {
      for (const role of SIGNED_IN) {
        subs[role].dispose();
        await sockets[role].dispose();
      }
    }
  });
});
