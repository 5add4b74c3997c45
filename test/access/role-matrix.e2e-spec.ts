import type { Client as WsClient } from 'graphql-ws';
import { PASSWORD } from '../support/fixtures';
import { gql, GqlResult, wsClient } from '../support/gql';
import {
  dbFingerprint,
  DOC,
  eligibility,
  expectError,
  expectNoInternals,
  needs,
  RoleName,
  ROLES,
  sdlOperations,
  shelterInput,
  SIGNED_IN,
  SignedInRole,
  tokenFor,
  unique,
  uniqueEmail,
  wsExecute,
} from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * Every query and mutation of the SDL × every kind of caller: allowed, refused (FORBIDDEN / UNAUTHENTICATED) or
 * not found across organisations. Each row builds its own fixtures, so rows do not depend on each other's effects;
 * a refused or not-found call must leave every table exactly as it was.
 */

type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';
type Expectations = Record<RoleName, Outcome>;

interface Call {
  query: string;
  variables?: Record<string, unknown>;
  /** Checks an allowed call's data and its effect. */
  verify?: (data: any) => Promise<void> | void;
}

interface Row {
  op: string;
  target: string;
  build: (w: World, role: RoleName) => Promise<Call>;
  expect: Expectations;
}

const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const N = 'NOT_FOUND';

const everyoneSignedIn: Expectations = {
  anonymous: U,
  staffA: 'ok',
  staffB: 'ok',
  advocate: 'ok',
  coordinator: 'ok',
  admin: 'ok',
};
const everyone: Expectations = { ...everyoneSignedIn, anonymous: 'ok' };
const adminOnly: Expectations = { anonymous: U, staffA: F, staffB: F, advocate: F, coordinator: F, admin: 'ok' };
const anyStaff: Expectations = { anonymous: U, staffA: 'ok', staffB: 'ok', advocate: F, coordinator: F, admin: F };
/** A shelter or pool of provider `owner`: its staff may, the other provider's staff do not find it. */
const ownedBy = (owner: 'A' | 'B'): Expectations => ({
  anonymous: U,
  staffA: owner === 'A' ? 'ok' : N,
  staffB: owner === 'B' ? 'ok' : N,
  advocate: F,
  coordinator: F,
  admin: F,
});

const providerOf = (w: World, owner: 'A' | 'B') => (owner === 'A' ? w.orgs.providerA : w.orgs.providerB);
const countyOf = (w: World, owner: 'A' | 'B') => (owner === 'A' ? w.regions.countyA : w.regions.countyB);

async function freshShelter(w: World, owner: 'A' | 'B', f: Parameters<World['fx']['shelter']>[2] = {}) {
  return w.fx.shelter(providerOf(w, owner), countyOf(w, owner), { name: unique('Row shelter '), ...f });
}

/** The shelter mutations, once against provider A's shelter and once against provider B's. */
function shelterRows(owner: 'A' | 'B'): Row[] {
  const target = `provider ${owner}'s shelter`;
  return [
    {
      op: 'updateShelter',
      target,
      expect: ownedBy(owner),
      build: async (w) => {
        const id = await freshShelter(w, owner);
        const name = unique('Renamed ');
        return {
          query: DOC.updateShelter,
          variables: { id, input: { name, city: 'Newtown' } },
          verify: async (data) => {
            expect(data.updateShelter).toMatchObject({ id, name, city: 'Newtown' });
            expect(await w.fx.one('SELECT name FROM shelter WHERE id = $1', [id])).toEqual({ name });
          },
        };
      },
    },
    {
      op: 'setEligibility',
      target,
      expect: ownedBy(owner),
      build: async (w) => {
        const shelterId = await freshShelter(w, owner);
        return {
          query: DOC.setEligibility,
          variables: { shelterId, eligibility: eligibility({ minAge: 21, maxAge: 64 }) },
          verify: async (data) => {
            expect(data.setEligibility.eligibility).toMatchObject({ minAge: 21, maxAge: 64 });
            expect(await w.fx.one('SELECT elig_min_age, elig_max_age FROM shelter WHERE id = $1', [shelterId])).toEqual(
              { elig_min_age: 21, elig_max_age: 64 },
            );
          },
        };
      },
    },
    {
      op: 'upsertBedPool',
      target,
      expect: ownedBy(owner),
      build: async (w) => {
        const shelterId = await freshShelter(w, owner);
        return {
          query: DOC.upsertBedPool,
          variables: { input: { shelterId, bedType: 'FAMILY_UNIT', capacity: 4, reason: 'new wing' } },
          verify: async (data) => {
            expect(data.upsertBedPool).toMatchObject({ shelterId, bedType: 'FAMILY_UNIT', capacity: 4, available: 4 });
            expect(await w.fx.count('bed_pool', 'shelter_id = $1', [shelterId])).toBe(1);
            expect(await w.fx.count('capacity_event', 'shelter_id = $1', [shelterId])).toBe(1);
          },
        };
      },
    },
    {
      op: 'adjustBeds',
      target: `provider ${owner}'s pool`,
      expect: ownedBy(owner),
      build: async (w) => {
        const poolId = await w.fx.pool(await freshShelter(w, owner), 'SINGLE', 6, { occupied: 2 });
        return {
          query: DOC.adjustBeds,
          variables: { input: { poolId, occupiedDelta: 1, outOfServiceDelta: 1, reason: 'intake' } },
          verify: async (data) => {
            expect(data.adjustBeds).toMatchObject({
              id: poolId,
              occupied: 3,
              outOfService: 1,
              available: 2,
              version: 2,
            });
            expect(await w.fx.poolRow(poolId)).toMatchObject({ occupied: 3, out_of_service: 1, version: 2 });
          },
        };
      },
    },
    {
      op: 'setBedCounts',
      target: `provider ${owner}'s pool`,
      expect: ownedBy(owner),
      build: async (w) => {
        const poolId = await w.fx.pool(await freshShelter(w, owner), 'SINGLE', 6, { occupied: 2 });
        return {
          query: DOC.setBedCounts,
          variables: { input: { poolId, expectedVersion: 1, capacity: 8, occupied: 5, outOfService: 1 } },
          verify: async (data) => {
            expect(data.setBedCounts).toMatchObject({ capacity: 8, occupied: 5, outOfService: 1, available: 2 });
            expect(await w.fx.poolRow(poolId)).toMatchObject({ capacity: 8, occupied: 5, out_of_service: 1 });
          },
        };
      },
    },
    {
      op: 'confirmAvailability',
      target,
      expect: ownedBy(owner),
      build: async (w) => {
        const shelterId = await freshShelter(w, owner, { verifiedMinutesAgo: 600 });
        await w.fx.pool(shelterId, 'SINGLE', 3);
        return {
          query: DOC.confirmAvailability,
          variables: { shelterId },
          verify: async (data) => {
            expect(data.confirmAvailability.shelterId).toBe(shelterId);
            const row = await w.fx.one<{ fresh: boolean }>(
              `SELECT availability_verified_at > now() - interval '1 minute' AS fresh FROM shelter WHERE id = $1`,
              [shelterId],
            );
            expect(row.fresh).toBe(true);
            expect(await w.fx.count('capacity_event', "shelter_id = $1 AND kind = 'CONFIRMED'", [shelterId])).toBe(1);
          },
        };
      },
    },
  ];
}

const ROWS: Row[] = [
  // ── queries ──
  {
    op: 'me',
    target: 'self',
    expect: everyoneSignedIn,
    build: async (w, role) => ({
      query: DOC.me,
      verify: (data) => expect(data.me.id).toBe(w.users[role as SignedInRole]),
    }),
  },
  {
    op: 'regions',
    target: 'the region tree',
    expect: everyoneSignedIn,
    build: async (w) => ({
      query: DOC.regions,
      verify: (data) =>
        expect(data.regions.map((r: { id: string }) => r.id)).toEqual(
          expect.arrayContaining([w.regions.state, w.regions.countyA, w.regions.countyB]),
        ),
    }),
  },
  {
    op: 'organisations',
    target: 'scoped list',
    expect: everyoneSignedIn,
    build: async (w, role) => ({
      query: DOC.organisations,
      verify: (data) => {
        const ids = data.organisations.map((o: { id: string }) => o.id);
        const own = {
          staffA: [w.orgs.providerA],
          staffB: [w.orgs.providerB],
          advocate: [w.orgs.agency],
          coordinator: [w.orgs.coordination],
        } as Record<string, string[]>;
        if (role === 'admin') expect(ids).toEqual(expect.arrayContaining(Object.values(w.orgs)));
        else expect(ids).toEqual(own[role]);
      },
    }),
  },
  {
    op: 'users',
    target: 'scoped list',
    expect: everyoneSignedIn,
    build: async (w, role) => ({
      query: DOC.users,
      verify: (data) => {
        const ids = data.users.map((u: { id: string }) => u.id);
        if (role === 'admin') expect(ids).toEqual(expect.arrayContaining(Object.values(w.users)));
        else expect(ids).toEqual([w.users[role as SignedInRole]]);
      },
    }),
  },
  {
    op: 'shelters',
    target: 'the directory',
    expect: everyoneSignedIn,
    build: async (w) => ({
      query: DOC.shelters,
      variables: { first: 100 },
      verify: (data) =>
        expect(data.shelters.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(
          expect.arrayContaining([w.shelters.a, w.shelters.b, w.shelters.aPublic]),
        ),
    }),
  },
  {
    op: 'shelter',
    target: "provider A's confidential shelter",
    expect: everyoneSignedIn,
    build: async (w) => ({
      query: DOC.shelter,
      variables: { id: w.shelters.a },
      verify: (data) => expect(data.shelter.id).toBe(w.shelters.a),
    }),
  },
  {
    op: 'searchBeds',
    target: 'a needs profile',
    expect: everyoneSignedIn,
    build: async () => ({
      query: DOC.searchBeds,
      variables: { needs: needs(), first: 20 },
      // other rows keep adding fresher shelters, so which ones rank first varies; the full check is in visibility
      verify: (data) => expect(data.searchBeds.matches.length).toBeGreaterThan(0),
    }),
  },
  // ── accounts ──
  {
    op: 'login',
    target: 'an active user',
    expect: everyone,
    build: async (w) => {
      const email = uniqueEmail('login');
      const id = await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
      return {
        query: DOC.login,
        variables: { email, password: PASSWORD },
        verify: (data) => {
          expect(data.login.user).toEqual({ id, role: 'HOTLINE_ADVOCATE' });
          expect(data.login.token).toEqual(expect.any(String));
        },
      };
    },
  },
  {
    op: 'createRegion',
    target: 'a new county',
    expect: adminOnly,
    build: async (w) => {
      const code = unique('ST-N');
      return {
        query: DOC.createRegion,
        variables: { input: { code, name: 'New County', parentId: w.regions.state } },
        verify: async (data) => {
          expect(data.createRegion).toMatchObject({ code, parentId: w.regions.state });
          expect(await w.fx.count('region', 'code = $1', [code])).toBe(1);
        },
      };
    },
  },
  {
    op: 'updateRegion',
    target: 'a county',
    expect: adminOnly,
    build: async (w) => {
      const id = await w.fx.region(unique('ST-U'), 'Old Name', w.regions.state);
      return {
        query: DOC.updateRegion,
        variables: { id, input: { name: 'New Name' } },
        verify: async (data) => {
          expect(data.updateRegion).toMatchObject({ id, name: 'New Name', parentId: w.regions.state });
          expect(await w.fx.one('SELECT name FROM region WHERE id = $1', [id])).toEqual({ name: 'New Name' });
        },
      };
    },
  },
  {
    op: 'createOrganisation',
    target: 'a new provider',
    expect: adminOnly,
    build: async (w) => {
      const name = unique('New Provider ');
      return {
        query: DOC.createOrganisation,
        variables: { input: { name, kind: 'SHELTER_PROVIDER' } },
        verify: async (data) => {
          expect(data.createOrganisation).toMatchObject({ name, kind: 'SHELTER_PROVIDER' });
          expect(await w.fx.count('organisation', 'name = $1', [name])).toBe(1);
        },
      };
    },
  },
  {
    op: 'renameOrganisation',
    target: 'an organisation',
    expect: adminOnly,
    build: async (w) => {
      const id = await w.fx.organisation(unique('Old Org '), 'REFERRAL_AGENCY');
      const name = unique('Renamed Org ');
      return {
        query: DOC.renameOrganisation,
        variables: { id, input: { name } },
        verify: async (data) => {
          expect(data.renameOrganisation).toMatchObject({ id, name });
          expect(await w.fx.one('SELECT name FROM organisation WHERE id = $1', [id])).toEqual({ name });
        },
      };
    },
  },
  {
    op: 'createUser',
    target: 'a new advocate',
    expect: adminOnly,
    build: async (w) => {
      const email = uniqueEmail('new');
      return {
        query: DOC.createUser,
        variables: {
          input: {
            email,
            displayName: 'New Advocate',
            password: 'a sufficiently long password',
            role: 'HOTLINE_ADVOCATE',
            organisationId: w.orgs.agency,
          },
        },
        verify: async (data) => {
          expect(data.createUser).toMatchObject({ email, role: 'HOTLINE_ADVOCATE', organisationId: w.orgs.agency });
          expect(await w.fx.count('app_user', 'email = $1', [email])).toBe(1);
        },
      };
    },
  },
  {
    op: 'updateUser',
    target: 'another user',
    expect: adminOnly,
    build: async (w) => {
      const id = await w.fx.user(uniqueEmail('upd'), 'HOTLINE_ADVOCATE', w.orgs.agency);
      return {
        query: DOC.updateUser,
        variables: { id, input: { displayName: 'Updated Name' } },
        verify: async (data) => {
          expect(data.updateUser).toMatchObject({ id, displayName: 'Updated Name' });
          expect(await w.fx.one('SELECT display_name FROM app_user WHERE id = $1', [id])).toEqual({
            display_name: 'Updated Name',
          });
        },
      };
    },
  },
  {
    op: 'deactivateUser',
    target: 'another user',
    expect: adminOnly,
    build: async (w) => {
      const id = await w.fx.user(uniqueEmail('deact'), 'SHELTER_STAFF', w.orgs.providerA);
      return {
        query: DOC.deactivateUser,
        variables: { id },
        verify: async (data) => {
          expect(data.deactivateUser).toEqual({ id, active: false });
          expect(await w.fx.one('SELECT active FROM app_user WHERE id = $1', [id])).toEqual({ active: false });
        },
      };
    },
  },
  {
    op: 'reactivateUser',
    target: 'a deactivated user',
    expect: adminOnly,
    build: async (w) => {
      const id = await w.fx.user(uniqueEmail('react'), 'SHELTER_STAFF', w.orgs.providerB);
      await w.fx.pg.query('UPDATE app_user SET active = false, deactivated_at = now() WHERE id = $1', [id]);
      return {
        query: DOC.reactivateUser,
        variables: { id },
        verify: async (data) => {
          expect(data.reactivateUser).toEqual({ id, active: true });
          expect(await w.fx.one('SELECT active FROM app_user WHERE id = $1', [id])).toEqual({ active: true });
        },
      };
    },
  },
  // ── shelters ──
  {
    op: 'createShelter',
    target: "the caller's own organisation",
    expect: anyStaff,
    build: async (w, role) => ({
      query: DOC.createShelter,
      variables: { input: shelterInput(w) },
      verify: async (data) => {
        const org = role === 'staffA' ? w.orgs.providerA : w.orgs.providerB;
        expect(data.createShelter).toMatchObject({ organisationId: org, address: '7 Quiet Lane' });
        expect(await w.fx.count('shelter', 'id = $1 AND organisation_id = $2', [data.createShelter.id, org])).toBe(1);
      },
    }),
  },
  ...shelterRows('A'),
  ...shelterRows('B'),
];

type Transport = 'http' | 'ws';

interface Case {
  transport: Transport;
  op: string;
  target: string;
  role: RoleName;
  expected: Outcome;
  row: Row;
}

function cases(transport: Transport): Case[] {
  // graphql-ws refuses a socket without a valid token (see visibility.e2e-spec.ts), so anonymous is HTTP only
  const roles: readonly RoleName[] = transport === 'ws' ? SIGNED_IN : ROLES;
  return ROWS.flatMap((row) =>
    roles.map((role) => ({ transport, op: row.op, target: row.target, role, expected: row.expect[role], row })),
  );
}

describe('role matrix', () => {
  let w: World;
  const sockets = new Map<SignedInRole, WsClient>();

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await Promise.all([...sockets.values()].map(async (c) => c.dispose()));
    await w.close();
  });

  async function run(transport: Transport, role: RoleName, call: Call): Promise<GqlResult> {
    if (transport === 'http') return gql(w.api.url, call.query, call.variables ?? {}, tokenFor(w, role));
    const r = role as SignedInRole;
    if (!sockets.has(r)) sockets.set(r, wsClient(w.api.url, w.tokens[r]));
    const result = await wsExecute(sockets.get(r)!, call.query, call.variables ?? {});
    if (result.socketError) throw new Error(`socket failed: ${JSON.stringify(result.socketError)}`);
    return result;
  }

  it('covers every query and mutation of the committed SDL', () => {
    const { queries, mutations } = sdlOperations();
    const covered = new Set(ROWS.map((r) => r.op));
    expect([...queries, ...mutations].filter((op) => !covered.has(op))).toEqual([]);
    expect([...covered].filter((op) => !queries.includes(op) && !mutations.includes(op))).toEqual([]);
  });

  describe.each(['http', 'ws'] as Transport[])('over %s', (transport) => {
    it.each(cases(transport))('$op on $target as $role → $expected', async ({ role, expected, row }) => {
      const call = await row.build(w, role);
      const before = expected === 'ok' ? null : await dbFingerprint(w.fx);
      const result = await run(transport, role, call);
      expectNoInternals(result);
      if (expected === 'ok') {
        expect(result.errors).toBeUndefined();
        await call.verify?.(result.data);
      } else {
        expectError(result, expected);
        expect(result.data ?? null).toBeNull();
        // nothing was written, anywhere
        expect(await dbFingerprint(w.fx)).toEqual(before);
      }
    });
  });
});
