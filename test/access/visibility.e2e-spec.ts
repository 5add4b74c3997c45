import type { Client as WsClient } from 'graphql-ws';
import { PASSWORD } from '../support/fixtures';
import { collect, errorCode, gql, login, wsClient } from '../support/gql';
import {
  DOC,
  expectError,
  expectNoInternals,
  needs,
  pause,
  SIGNED_IN,
  SignedInRole,
  UNKNOWN_ID,
  uniqueEmail,
  wsExecute,
} from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * What each caller may see: confidential shelter fields, organisation and user scoping, deactivation, and the live
 * bed-availability subscription over graphql-ws.
 */

const HIDDEN_A = '12 Hidden Road';
const HIDDEN_B = '99 Unseen Street';
const PUBLIC_A = '5 Main Street';
const FIXTURE_PHONE = '+1 555 0100';

type Sub = ReturnType<typeof collect<any>>;

describe('visibility', () => {
  let w: World;
  const sockets: WsClient[] = [];
  const subs: Sub[] = [];

  function socket(token?: string): WsClient {
    const client = wsClient(w.api.url, token);
    sockets.push(client);
    return client;
  }
  function subscribe(client: WsClient, regionId: string): Sub {
    const sub = collect(client, DOC.bedAvailabilityChanged, { regionId });
    subs.push(sub);
    return sub;
  }
  const settled = (s: Sub) => s.events.length > 0 || s.error !== undefined || s.completed;

  /** Fires `trigger` until every subscription has an event (subscribing is asynchronous on the server). */
  async function triggerUntilEvent(waiting: Sub[], trigger: () => Promise<void>): Promise<void> {
    for (let attempt = 0; attempt < 25 && !waiting.every(settled); attempt++) {
      await trigger();
      const deadline = Date.now() + 200;
      while (Date.now() < deadline && !waiting.every(settled)) await pause(20);
    }
  }

  /** Pools that only this file's subscription tests change, one per county. */
  const triggerPools: { countyA: string; countyB: string } = { countyA: '', countyB: '' };
  async function adjust(county: 'countyA' | 'countyB'): Promise<void> {
    const token = county === 'countyA' ? w.tokens.staffA : w.tokens.staffB;
    const r = await gql(
      w.api.url,
      DOC.adjustBeds,
      { input: { poolId: triggerPools[county], occupiedDelta: 1 } },
      token,
    );
    expect(r.errors).toBeUndefined();
  }

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    subs.forEach((s) => s.dispose());
    await Promise.all(sockets.map(async (c) => c.dispose()));
    await w.close();
  });

  // ── confidential shelter fields ────────────────────────────────────────────────────────────────────────────────

  describe('shelter(id): address and intake phone', () => {
    const cases: {
      role: SignedInRole;
      shelter: 'a' | 'b' | 'aPublic';
      address: string | null;
      phone: string | null;
    }[] = SIGNED_IN.flatMap((role) => [
      {
        role,
        shelter: 'a' as const,
        address: role === 'staffA' ? HIDDEN_A : null,
        phone: role === 'staffA' ? FIXTURE_PHONE : null,
      },
      {
        role,
        shelter: 'b' as const,
        address: role === 'staffB' ? HIDDEN_B : null,
        phone: role === 'staffB' ? FIXTURE_PHONE : null,
      },
      // a shelter that publishes its address shows it to everyone
      { role, shelter: 'aPublic' as const, address: PUBLIC_A, phone: FIXTURE_PHONE },
    ]);

    it.each(cases)('shelter $shelter as $role → address $address', async ({ role, shelter, address, phone }) => {
      const r = await gql(w.api.url, DOC.shelter, { id: w.shelters[shelter] }, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      expect(r.data.shelter).toMatchObject({ id: w.shelters[shelter], address, intakePhone: phone });
    });
  });

  describe('shelters: the directory hides the same fields', () => {
    it.each(SIGNED_IN)('as %s', async (role) => {
      const r = await gql(w.api.url, DOC.shelters, { first: 100 }, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      const byId = new Map<string, { address: string | null; intakePhone: string | null }>(
        r.data.shelters.edges.map((e: { node: { id: string } }) => [e.node.id, e.node]),
      );
      expect(byId.get(w.shelters.a)).toMatchObject({
        address: role === 'staffA' ? HIDDEN_A : null,
        intakePhone: role === 'staffA' ? FIXTURE_PHONE : null,
      });
      expect(byId.get(w.shelters.b)).toMatchObject({
        address: role === 'staffB' ? HIDDEN_B : null,
        intakePhone: role === 'staffB' ? FIXTURE_PHONE : null,
      });
      expect(byId.get(w.shelters.aPublic)).toMatchObject({ address: PUBLIC_A, intakePhone: FIXTURE_PHONE });
      const json = JSON.stringify(r.data);
      if (role !== 'staffA') expect(json).not.toContain(HIDDEN_A);
      if (role !== 'staffB') expect(json).not.toContain(HIDDEN_B);
    });

    it.each([
      ['staffA', 'providerA'],
      ['staffB', 'providerB'],
      ['advocate', null],
      ['coordinator', null],
      ['admin', null],
    ] as [SignedInRole, 'providerA' | 'providerB' | null][])(
      'mine: true as %s lists only its own',
      async (role, org) => {
        const r = await gql(w.api.url, DOC.shelters, { first: 100, mine: true }, w.tokens[role]);
        expect(r.errors).toBeUndefined();
        const orgs = r.data.shelters.edges.map((e: { node: { organisationId: string } }) => e.node.organisationId);
        if (org === null) expect(orgs).toEqual([]);
        else {
          expect(orgs.length).toBeGreaterThan(0);
          expect(new Set(orgs)).toEqual(new Set([w.orgs[org]]));
        }
      },
    );
  });

  describe('searchBeds: never an address or phone', () => {
    it.each(['address', 'intakePhone', 'locationConfidential', 'organisationId'])(
      'ShelterSummary has no %s field: selecting it fails validation',
      async (field) => {
        const r = await gql(
          w.api.url,
          `query($needs: NeedsInput!) { searchBeds(needs: $needs) { matches { shelter { id ${field} } } } }`,
          { needs: needs() },
          w.tokens.staffA,
        );
        expectError(r, 'GRAPHQL_VALIDATION_FAILED');
        expect(r.data).toBeUndefined();
      },
    );

    it.each(SIGNED_IN)('results as %s carry no fixture address or phone', async (role) => {
      const r = await gql(w.api.url, DOC.searchBeds, { needs: needs(), first: 50 }, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      const ids = r.data.searchBeds.matches.map((m: { shelter: { id: string } }) => m.shelter.id);
      // the confidential shelters are found, just without their secrets
      expect(ids).toEqual(expect.arrayContaining([w.shelters.a, w.shelters.b]));
      const json = JSON.stringify(r);
      for (const secret of [HIDDEN_A, HIDDEN_B, PUBLIC_A, FIXTURE_PHONE, '1 Secret Lane']) {
        expect(json).not.toContain(secret);
      }
    });
  });

  // ── organisation and user scoping ──────────────────────────────────────────────────────────────────────────────

  describe('organisations and users', () => {
    it.each(SIGNED_IN)('organisations as %s', async (role) => {
      const r = await gql(w.api.url, DOC.organisations, {}, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      const ids = r.data.organisations.map((o: { id: string }) => o.id).sort();
      const expected = {
        staffA: [w.orgs.providerA],
        staffB: [w.orgs.providerB],
        advocate: [w.orgs.agency],
        coordinator: [w.orgs.coordination],
        admin: Object.values(w.orgs).sort(),
      }[role];
      expect(ids).toEqual(expected);
    });

    it.each(SIGNED_IN)('users as %s: admins see everyone, others only themselves', async (role) => {
      const r = await gql(w.api.url, DOC.users, {}, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      const ids = r.data.users.map((u: { id: string }) => u.id);
      if (role === 'admin') expect(ids).toEqual(expect.arrayContaining(Object.values(w.users)));
      else expect(ids).toEqual([w.users[role]]);
    });

    it.each(SIGNED_IN)('users(organisationId: provider B) as %s', async (role) => {
      const r = await gql(w.api.url, DOC.users, { org: w.orgs.providerB }, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      const ids = r.data.users.map((u: { id: string }) => u.id);
      expect(ids).toEqual(role === 'admin' || role === 'staffB' ? [w.users.staffB] : []);
    });

    it.each(SIGNED_IN)('me as %s', async (role) => {
      const r = await gql(w.api.url, DOC.me, {}, w.tokens[role]);
      const org = {
        staffA: w.orgs.providerA,
        staffB: w.orgs.providerB,
        advocate: w.orgs.agency,
        coordinator: w.orgs.coordination,
        admin: null,
      }[role];
      expect(r.data?.me).toMatchObject({ id: w.users[role], organisationId: org, active: true });
    });
  });

  // ── tokens and deactivation ────────────────────────────────────────────────────────────────────────────────────

  describe('tokens and deactivation', () => {
    it.each([
      ['a forged token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      ['garbage', 'not-a-token'],
    ])('%s is UNAUTHENTICATED', async (_label, token) => {
      const r = await gql(w.api.url, DOC.me, {}, token);
      expectError(r, 'UNAUTHENTICATED');
    });

    it('a deactivated user is signed out at once and cannot log in; reactivation restores access', async () => {
      const email = uniqueEmail('leaver');
      const id = await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
      const token = await login(w.api.url, email, PASSWORD);
      expect((await gql(w.api.url, DOC.me, {}, token)).data?.me.id).toBe(id);

      const off = await gql(w.api.url, DOC.deactivateUser, { id }, w.tokens.admin);
      expect(off.data?.deactivateUser).toEqual({ id, active: false });

      // the unexpired token stops working for every operation
      expectError(await gql(w.api.url, DOC.me, {}, token), 'UNAUTHENTICATED');
      expectError(await gql(w.api.url, DOC.searchBeds, { needs: needs() }, token), 'UNAUTHENTICATED');
      expectError(await gql(w.api.url, DOC.regions, {}, token), 'UNAUTHENTICATED');

      // the right password gets exactly what a wrong password or an unknown email gets
      const deactivated = await gql(w.api.url, DOC.login, { email, password: PASSWORD }, undefined);
      const wrongPassword = await gql(
        w.api.url,
        DOC.login,
        { email: 'advocate@example.org', password: 'not the password' },
        undefined,
      );
      const unknown = await gql(w.api.url, DOC.login, { email: 'nobody@example.org', password: PASSWORD }, undefined);
      for (const r of [deactivated, wrongPassword, unknown]) expectError(r, 'INVALID_CREDENTIALS');
      expect(deactivated.errors![0].message).toBe(wrongPassword.errors![0].message);
      expect(unknown.errors![0].message).toBe(wrongPassword.errors![0].message);
      expect(deactivated.data ?? null).toBeNull();

      // nor can the old token open a socket
      const sub = subscribe(socket(token), w.regions.countyA);
      await expect(sub.next(1, 3000)).rejects.toThrow(/subscription ended/);
      expect((sub.error as { code?: number }).code).toBe(4403);

      const on = await gql(w.api.url, DOC.reactivateUser, { id }, w.tokens.admin);
      expect(on.data?.reactivateUser).toEqual({ id, active: true });
      const again = await login(w.api.url, email, PASSWORD);
      expect((await gql(w.api.url, DOC.me, {}, again)).data?.me.id).toBe(id);
    });

    it("deactivation also ends the user's open WebSocket: no more operations on it", async () => {
      const email = uniqueEmail('ws-leaver');
      const id = await w.fx.user(email, 'SHELTER_STAFF', w.orgs.providerA);
      const token = await login(w.api.url, email, PASSWORD);
      const pool = await w.fx.pool(await w.fx.shelter(w.orgs.providerA, w.regions.countyA), 'SINGLE', 10);
      const client = socket(token);
      // a live subscription keeps the (lazy) socket open, as a client watching counts would
      const keepOpen = subscribe(client, w.regions.countyA);
      const before = await wsExecute(client, DOC.adjustBeds, { input: { poolId: pool, occupiedDelta: 1 } });
      expect(before.errors).toBeUndefined();

      expect((await gql(w.api.url, DOC.deactivateUser, { id }, w.tokens.admin)).errors).toBeUndefined();

      // "their tokens stop working at once": the socket authenticated with that token must not act for them any more
      const after = await wsExecute(client, DOC.adjustBeds, { input: { poolId: pool, occupiedDelta: 1 } });
      expect({
        refused: after.socketError !== undefined || errorCode(after) === 'UNAUTHENTICATED',
        result: after.data ?? null,
      }).toEqual({ refused: true, result: null });
      expect(await w.fx.poolRow(pool)).toMatchObject({ occupied: 1, version: 2 });
      keepOpen.dispose();
    });

    it("deactivation also ends the user's live subscriptions", async () => {
      triggerPools.countyA ||= await w.fx.pool(w.shelters.aPublic, 'EMERGENCY_OVERFLOW', 5000);
      const email = uniqueEmail('sub-leaver');
      const id = await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
      const sub = subscribe(socket(await login(w.api.url, email, PASSWORD)), w.regions.countyA);
      await triggerUntilEvent([sub], () => adjust('countyA'));
      expect(sub.events.length).toBeGreaterThan(0);

      expect((await gql(w.api.url, DOC.deactivateUser, { id }, w.tokens.admin)).errors).toBeUndefined();
      await pause(200);
      const seen = sub.events.length;
      await adjust('countyA');
      await adjust('countyA');
      await pause(1000);
      // either the server closed the subscription, or at least it delivered nothing more
      expect({ closed: sub.error !== undefined || sub.completed, newEvents: sub.events.length - seen }).toEqual({
        closed: expect.any(Boolean),
        newEvents: 0,
      });
    });
  });

  // ── bedAvailabilityChanged over graphql-ws ─────────────────────────────────────────────────────────────────────

  describe('bedAvailabilityChanged subscription', () => {
    beforeAll(async () => {
      triggerPools.countyA ||= await w.fx.pool(w.shelters.aPublic, 'EMERGENCY_OVERFLOW', 5000);
      triggerPools.countyB = await w.fx.pool(w.shelters.b, 'EMERGENCY_OVERFLOW', 5000);
    });

    it.each([
      ['no token', undefined],
      ['an invalid token', 'not-a-token'],
    ])('%s: the socket is refused at connect (4403)', async (_label, token) => {
      const sub = subscribe(socket(token), w.regions.countyA);
      await expect(sub.next(1, 3000)).rejects.toThrow(/subscription ended/);
      expect((sub.error as { code?: number }).code).toBe(4403);
      expect(sub.events).toEqual([]);
    });

    type RegionKey = 'countyA' | 'countyB' | 'state';
    const cases = SIGNED_IN.flatMap((role) =>
      (['countyA', 'countyB', 'state'] as RegionKey[]).map((region) => ({
        role,
        region,
        // a coordinator watches county A and what lies below it; not the sibling county, not the state above
        expected: role === 'coordinator' && region !== 'countyA' ? 'NOT_FOUND' : 'ok',
      })),
    );

    it.each(cases)('$role subscribing to $region → $expected', async ({ role, region, expected }) => {
      const sub = subscribe(socket(w.tokens[role]), w.regions[region]);
      if (expected === 'NOT_FOUND') {
        const first = await sub.next(1, 5000);
        expectError(first, 'NOT_FOUND');
        await pause(50);
        // the stream ends: with `complete`, or with an `error` message carrying the errors
        expect(sub.completed || sub.error !== undefined).toBe(true);
        return;
      }
      const county = region === 'countyB' ? 'countyB' : 'countyA';
      await triggerUntilEvent([sub], () => adjust(county));
      const event = sub.events[0];
      expectNoInternals(event);
      expect(event.errors).toBeUndefined();
      const change = event.data.bedAvailabilityChanged;
      expect(change).toMatchObject({
        poolId: triggerPools[county],
        regionId: w.regions[county],
        shelterId: county === 'countyA' ? w.shelters.aPublic : w.shelters.b,
        bedType: 'EMERGENCY_OVERFLOW',
        capacity: 5000,
      });
      expect(change.available).toBe(change.capacity - change.occupied - change.held - change.outOfService);
      expect(Object.keys(change).sort()).toEqual(
        [
          'availabilityVerifiedAt',
          'available',
          'bedType',
          'capacity',
          'held',
          'occupied',
          'outOfService',
          'poolId',
          'regionId',
          'shelterId',
          'version',
        ].sort(),
      );
    });

    it.each(SIGNED_IN)('%s subscribing to an unknown region → NOT_FOUND', async (role) => {
      const sub = subscribe(socket(w.tokens[role]), UNKNOWN_ID);
      expectError(await sub.next(1, 5000), 'NOT_FOUND');
    });

    it.each(SIGNED_IN)('%s subscribing to a malformed region id → BAD_USER_INPUT', async (role) => {
      const sub = subscribe(socket(w.tokens[role]), 'not-a-uuid');
      expectError(await sub.next(1, 5000), 'BAD_USER_INPUT', 'regionId');
    });

    it("staff A's adjustBeds reaches county A and the state above it, not county B", async () => {
      const countyA = subscribe(socket(w.tokens.coordinator), w.regions.countyA);
      const state = subscribe(socket(w.tokens.advocate), w.regions.state);
      const countyB = subscribe(socket(w.tokens.admin), w.regions.countyB);
      // make sure the county B subscription is live too, with one county B change
      await triggerUntilEvent([countyB], () => adjust('countyB'));
      expect(countyB.events.length).toBeGreaterThan(0);
      const seenB = countyB.events.length;

      const pool = await w.fx.pool(w.shelters.a, 'CRIB', 4);
      const adjustA = async () => {
        const r = await gql(
          w.api.url,
          DOC.adjustBeds,
          { input: { poolId: pool, occupiedDelta: 1, reason: 'admission' } },
          w.tokens.staffA,
        );
        expect(r.errors).toBeUndefined();
      };
      await triggerUntilEvent([countyA, state], adjustA);
      const fromA = (s: Sub) =>
        s.events.map((e) => e.data?.bedAvailabilityChanged).filter((c: { poolId: string }) => c.poolId === pool);
      for (const s of [countyA, state]) {
        expect(fromA(s)[0]).toMatchObject({
          poolId: pool,
          shelterId: w.shelters.a,
          regionId: w.regions.countyA,
          bedType: 'CRIB',
          capacity: 4,
          held: 0,
          outOfService: 0,
        });
      }
      await pause(300);
      expect(fromA(countyB)).toEqual([]);
      expect(countyB.events.length).toBe(seenB);
      // a subscriber learns counts, never where the shelter is
      for (const s of [countyA, state, countyB]) {
        const json = JSON.stringify(s.events);
        for (const secret of [HIDDEN_A, HIDDEN_B, PUBLIC_A, FIXTURE_PHONE]) expect(json).not.toContain(secret);
      }
    });
  });
});
