import type { ChildProcess } from 'node:child_process';
import type { Client as WsClient } from 'graphql-ws';
import type { RunningApi } from '../support/app';
import { Gender } from '@shelterlink/shelters';
import { PASSWORD } from '../support/fixtures';
import { collect, errorCode, gql, login, wsClient } from '../support/gql';
import {
  Agency,
  consentInput,
  DOC,
  expectError,
  expectNoInternals,
  needs,
  offerNodes,
  otherAgency,
  pause,
  referralFixture,
  referralInput,
  SIGNED_IN,
  SignedInRole,
  UNKNOWN_ID,
  unique,
  uniqueEmail,
  wsExecute,
} from '../support/operations';
import { startWorker, waitForState } from '../support/referrals';
import { createWorld, World } from '../support/world';

/**
 * What each caller may see: confidential shelter fields and default intake instructions, organisation and user
 * scoping, deactivation, the live bed-availability subscription over graphql-ws, survivor identity (never to
 * coordinators or admins, to shelters only under a consent naming them), intake instructions reaching an agency only
 * with an accepted offer, and the live referral and offer subscriptions.
 */

const HIDDEN_A = '12 Hidden Road';
const HIDDEN_B = '99 Unseen Street';
const PUBLIC_A = '5 Main Street';
const FIXTURE_PHONE = '+1 555 0100';
/** Every fixture shelter's default intake instructions (test/support/fixtures.ts). */
const FIXTURE_INSTRUCTIONS = 'Call the intake line on +1 555 0100';
/** A survivor identity whose every value is easy to spot in any response. */
const CANARY = { name: 'Canary Survivor', dateOfBirth: '1990-04-01', phone: '+1 555 0123', notes: 'canary notes' };

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
    // the suite keeps every socket it opened until the end, dozens per user (the default allows 10 at once)
    w = await createWorld({ WS_MAX_SOCKETS_PER_USER: '500' });
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
      // a coordinator's directory holds the shelters of county A (theirs) only
      if (role === 'coordinator' && shelter === 'b') return expectError(r, 'NOT_FOUND');
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
      if (role === 'coordinator') expect(byId.has(w.shelters.b)).toBe(false);
      else {
        expect(byId.get(w.shelters.b)).toMatchObject({
          address: role === 'staffB' ? HIDDEN_B : null,
          intakePhone: role === 'staffB' ? FIXTURE_PHONE : null,
        });
      }
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

  describe("Shelter.intakeInstructions: only the shelter's own staff, confidential or not", () => {
    const ownStaff = { a: 'staffA', aPublic: 'staffA', b: 'staffB' } as const;
    const cases = SIGNED_IN.flatMap((role) =>
      (['a', 'b', 'aPublic'] as const).map((shelter) => ({
        role,
        shelter,
        // admins included: nobody but the shelter's own staff, even where the address is public
        instructions: role === ownStaff[shelter] ? FIXTURE_INSTRUCTIONS : null,
      })),
    );

    it.each(cases)('shelter $shelter as $role → $instructions', async ({ role, shelter, instructions }) => {
      const r = await gql(w.api.url, DOC.shelter, { id: w.shelters[shelter] }, w.tokens[role]);
      if (role === 'coordinator' && shelter === 'b') return expectError(r, 'NOT_FOUND');
      expect(r.errors).toBeUndefined();
      expect(r.data.shelter).toMatchObject({ id: w.shelters[shelter], intakeInstructions: instructions });
    });

    it.each(SIGNED_IN)('the directory as %s', async (role) => {
      const r = await gql(w.api.url, DOC.shelters, { first: 100 }, w.tokens[role]);
      expect(r.errors).toBeUndefined();
      const nodes: { id: string; organisationId: string; intakeInstructions: string | null }[] =
        r.data.shelters.edges.map((e: { node: unknown }) => e.node);
      const own = { staffA: w.orgs.providerA, staffB: w.orgs.providerB } as Record<string, string>;
      for (const node of nodes) {
        if (node.organisationId !== own[role]) {
          expect({ id: node.id, intakeInstructions: node.intakeInstructions }).toEqual({
            id: node.id,
            intakeInstructions: null,
          });
        }
      }
      for (const shelter of ['a', 'b', 'aPublic'] as const) {
        if (role === 'coordinator' && shelter === 'b') continue; // not in their directory
        expect(nodes.find((n) => n.id === w.shelters[shelter])).toMatchObject({
          intakeInstructions: role === ownStaff[shelter] ? FIXTURE_INSTRUCTIONS : null,
        });
      }
      // callers who are no shelter's staff never receive any instructions at all
      if (role !== 'staffA' && role !== 'staffB') expect(JSON.stringify(r)).not.toContain(FIXTURE_INSTRUCTIONS);
    });

    it('anonymous: neither shelter(id) nor the directory answers, so no instructions either', async () => {
      const one = await gql(w.api.url, DOC.shelter, { id: w.shelters.aPublic }, undefined);
      const list = await gql(w.api.url, DOC.shelters, { first: 100 }, undefined);
      for (const r of [one, list]) {
        expectError(r, 'UNAUTHENTICATED');
        expect(r.data ?? null).toBeNull();
        expect(JSON.stringify(r)).not.toContain(FIXTURE_INSTRUCTIONS);
      }
    });
  });

  describe('searchBeds: never an address or phone', () => {
    it.each(['address', 'intakePhone', 'intakeInstructions', 'locationConfidential', 'organisationId'])(
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
      // the confidential shelters are found, just without their secrets (a coordinator searches county A only)
      expect(ids).toEqual(expect.arrayContaining([w.shelters.a, ...(role === 'coordinator' ? [] : [w.shelters.b])]));
      if (role === 'coordinator') expect(ids).not.toContain(w.shelters.b);
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
      // the breakdown (a hold means a survivor is on the way): the shelter's staff, its region's coordinators, admins
      const insider =
        role === 'admin' || role === 'coordinator' || role === (county === 'countyA' ? 'staffA' : 'staffB');
      if (insider) {
        expect(change.available).toBe(change.capacity - change.occupied - change.held - change.outOfService);
        expect(change.version).toEqual(expect.any(Number));
      } else {
        expect(change).toMatchObject({ occupied: null, held: null, outOfService: null, version: null });
        expect(change.available).toEqual(expect.any(Number));
      }
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
      const counts = {
        poolId: pool,
        shelterId: w.shelters.a,
        regionId: w.regions.countyA,
        bedType: 'CRIB',
        capacity: 4,
      };
      // the county's coordinator sees the breakdown; an advocate, free beds and capacity only
      expect(fromA(countyA)[0]).toMatchObject({ ...counts, occupied: 1, held: 0, outOfService: 0, available: 3 });
      expect(fromA(state)[0]).toMatchObject({
        ...counts,
        occupied: null,
        held: null,
        outOfService: null,
        available: 3,
      });
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

  // ── survivor identity ──────────────────────────────────────────────────────────────────────────────────────────

  const audits = (referralId: string) =>
    w.fx.pg
      .query<{ user_id: string }>(`SELECT user_id FROM identity_access WHERE referral_id = $1 ORDER BY id`, [
        referralId,
      ])
      .then((r) => r.rows.map((row) => row.user_id));

  describe('Referral.identity: only the referring agency', () => {
    let other: Agency;
    beforeAll(async () => {
      other = await otherAgency(w);
    });

    it.each(SIGNED_IN)('referral(id) { identity } as %s', async (role) => {
      const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'A', identity: CANARY, shareIdentityWith: 'offer' });
      const r = await gql(w.api.url, DOC.referral, { id: f.id }, w.tokens[role]);
      if (role === 'advocate') {
        expect(r.errors).toBeUndefined();
        expect(r.data.referral).toMatchObject({ id: f.id, hasIdentity: true, identity: CANARY });
        expect(await audits(f.id)).toEqual([w.users.advocate]);
        return;
      }
      // coordinators and admins included: not found, whatever the consent says, and nothing is read
      expectError(r, 'NOT_FOUND');
      expect(r.data ?? null).toBeNull();
      expect(JSON.stringify(r)).not.toContain(CANARY.name);
      expect(await audits(f.id)).toEqual([]);
    });

    it('an advocate of another agency: referral(id) is NOT_FOUND and referrals never lists it', async () => {
      const f = await referralFixture(w, 'MATCHING', { identity: CANARY });
      const one = await gql(w.api.url, DOC.referral, { id: f.id }, other.token);
      expectError(one, 'NOT_FOUND');
      expect(one.data ?? null).toBeNull();
      const list = await gql(w.api.url, DOC.referrals, { first: 100 }, other.token);
      expect(list.errors).toBeUndefined();
      expect(list.data.referrals.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(f.id);
      // and the advocate of the referring agency does find it: the difference is the agency, not the referral
      const own = await gql(w.api.url, DOC.referral, { id: f.id }, w.tokens.advocate);
      expect(own.data?.referral.identity).toEqual(CANARY);
      expect(JSON.stringify([one, list])).not.toContain(CANARY.name);
      expect(await audits(f.id)).toEqual([w.users.advocate]);
    });

    it.each(['staffA', 'staffB', 'coordinator', 'admin'] as SignedInRole[])(
      'referrals as %s is FORBIDDEN',
      async (role) => {
        await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: CANARY });
        const r = await gql(w.api.url, DOC.referrals, { first: 100 }, w.tokens[role]);
        expectError(r, 'FORBIDDEN');
        expect(r.data ?? null).toBeNull();
        expect(JSON.stringify(r)).not.toContain(CANARY.name);
      },
    );
  });

  describe('Offer.identity: shelter staff, only after acceptance under a consent naming the shelter', () => {
    const accept = (offerId: string | null, token = w.tokens.staffA) =>
      gql(w.api.url, DOC.respondToOffer, { offerId, input: { accept: true } }, token);

    it('an open offer shows the needs, never the identity, even under a consent naming the shelter', async () => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: CANARY, shareIdentityWith: 'offer' });
      const r = await gql(w.api.url, DOC.offers, { shelterId: f.shelterId }, w.tokens.staffA);
      expect(r.errors).toBeUndefined();
      expect(offerNodes(r.data)).toEqual([
        expect.objectContaining({
          id: f.offerId,
          needs: { age: 30, gender: 'WOMAN', urgency: 'TONIGHT' },
          identity: null,
        }),
      ]);
      expect(JSON.stringify(r)).not.toContain(CANARY.name);
      expect(await audits(f.id)).toEqual([]);
    });

    it("another provider's staff do not see the offer at all", async () => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: CANARY, shareIdentityWith: 'offer' });
      const list = await gql(w.api.url, DOC.offers, {}, w.tokens.staffB);
      expect(offerNodes(list.data).map((o: { id: string }) => o.id)).not.toContain(f.offerId);
      expectError(await accept(f.offerId, w.tokens.staffB), 'NOT_FOUND');
      expect(JSON.stringify(list)).not.toContain(CANARY.name);
    });

    it('accepted under a consent naming this shelter: the identity, and the read is audited', async () => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: CANARY, shareIdentityWith: 'offer' });
      const r = await accept(f.offerId);
      expect(r.errors).toBeUndefined();
      expect(r.data.respondToOffer).toMatchObject({ status: 'ACCEPTED', identity: CANARY });
      expect(await audits(f.id)).toEqual([w.users.staffA]);
    });

    it.each([
      ['no consent to share identity at all', {}],
      ['a consent naming another shelter of the same provider', { shareIdentityWith: 'aPublic' }],
    ])('accepted with %s: identity null', async (_label, opts) => {
      const shareIdentityWith = 'shareIdentityWith' in opts ? { shelterId: w.shelters.aPublic } : undefined;
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: CANARY, shareIdentityWith });
      const r = await accept(f.offerId);
      expect(r.errors).toBeUndefined();
      expect(r.data.respondToOffer).toMatchObject({ status: 'ACCEPTED', identity: null });
      expect(JSON.stringify(r)).not.toContain(CANARY.name);
      expect(await audits(f.id)).toEqual([]);
    });

    it('the identity consent revoked before acceptance: identity null, the needs still shared', async () => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: CANARY, shareIdentityWith: 'offer' });
      const revoked = await gql(w.api.url, DOC.revokeConsent, { consentId: f.identityConsentId }, w.tokens.advocate);
      expect(revoked.data?.revokeConsent.state).toBe('OFFERED');
      const r = await accept(f.offerId);
      expect(r.errors).toBeUndefined();
      expect(r.data.respondToOffer).toMatchObject({ status: 'ACCEPTED', needs: { age: 30 }, identity: null });
      expect(await audits(f.id)).toEqual([]);
    });

    it('the identity consent expired: identity null at intake', async () => {
      const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'A', identity: CANARY, shareIdentityWith: 'offer' });
      await w.fx.pg.query(`UPDATE consent SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
        f.identityConsentId,
      ]);
      const r = await gql(w.api.url, DOC.confirmIntake, { offerId: f.offerId }, w.tokens.staffA);
      expect(r.errors).toBeUndefined();
      expect(r.data.confirmIntake.identity).toBeNull();
      expect(await audits(f.id)).toEqual([]);
    });

    it('after withdrawal the shelter sees neither needs nor identity of its accepted offer', async () => {
      const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'A', identity: CANARY, shareIdentityWith: 'offer' });
      const withdrawn = await gql(w.api.url, DOC.withdrawReferral, { referralId: f.id }, w.tokens.advocate);
      expect(withdrawn.data?.withdrawReferral.state).toBe('WITHDRAWN');
      // the only way left to touch the offer is a refused mutation: it must not carry the identity either
      const r = await gql(w.api.url, DOC.confirmIntake, { offerId: f.offerId }, w.tokens.staffA);
      expectError(r, 'INVALID_TRANSITION');
      expect(JSON.stringify(r)).not.toContain(CANARY.name);
      expect(await audits(f.id)).toEqual([]);
    });
  });

  // ── intake instructions reach an agency only with an accepted offer ──────────────────────────────────────────

  describe("an agency receives a shelter's default intake instructions only with an offer it accepted", () => {
    /** Instructions no other shelter has, easy to spot in any response. */
    const canaryInstructions = () => `Knock twice at the canary door ${unique('')}`;
    const agencyOffers = async (referralId: string, token = w.tokens.advocate) =>
      (await gql(w.api.url, DOC.referral, { id: referralId }, token)).data?.referral.offers;

    it('while open, through shelter(id) or the referral: never; accepted without typed ones: the defaults', async () => {
      const instructions = canaryInstructions();
      const f = await referralFixture(w, 'OFFERED', {
        offerTo: 'A',
        offerShelter: { intakeInstructions: instructions },
      });
      const shelterAs = (role: SignedInRole) => gql(w.api.url, DOC.shelter, { id: f.shelterId }, w.tokens[role]);
      const open = await gql(w.api.url, DOC.referral, { id: f.id }, w.tokens.advocate);
      expect(open.data.referral.offers).toEqual([
        expect.objectContaining({ id: f.offerId, status: 'OPEN', intakeInstructions: null }),
      ]);
      for (const role of ['advocate', 'staffB', 'coordinator', 'admin'] as SignedInRole[]) {
        const r = await shelterAs(role);
        expect(r.data.shelter).toMatchObject({ id: f.shelterId, intakeInstructions: null });
        expect(JSON.stringify(r)).not.toContain(instructions);
      }
      expect(JSON.stringify(open)).not.toContain(instructions);
      // the shelter's own staff see their defaults, and the open offer carries none yet
      expect((await shelterAs('staffA')).data.shelter.intakeInstructions).toBe(instructions);
      const staffView = await gql(w.api.url, DOC.offer, { id: f.offerId }, w.tokens.staffA);
      expect(staffView.data.offer).toMatchObject({ stage: 'OPEN', intakeInstructions: null });

      // staff accept without typing instructions: the agency receives the defaults, with this offer only
      const accepted = await gql(
        w.api.url,
        DOC.respondToOffer,
        { offerId: f.offerId, input: { accept: true } },
        w.tokens.staffA,
      );
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data.respondToOffer).toMatchObject({
        stage: 'AWAITING_ARRIVAL',
        status: 'ACCEPTED',
        intakeInstructions: instructions,
      });
      expect(await agencyOffers(f.id)).toEqual([
        expect.objectContaining({
          id: f.offerId,
          status: 'ACCEPTED',
          intakeInstructions: instructions,
          holdExpiresAt: expect.any(String),
          closedReason: null,
        }),
      ]);
      // and still not through the shelter itself
      const after = await shelterAs('advocate');
      expect(after.data.shelter.intakeInstructions).toBeNull();
      expect(JSON.stringify(after)).not.toContain(instructions);
      // an advocate of another agency does not find the referral at all
      const other = await gql(w.api.url, DOC.referral, { id: f.id }, (await otherAgency(w)).token);
      expectError(other, 'NOT_FOUND');
      expect(JSON.stringify(other)).not.toContain(instructions);
    });

    it('accepted with typed instructions: the agency receives those, not the defaults', async () => {
      const instructions = canaryInstructions();
      const f = await referralFixture(w, 'OFFERED', {
        offerTo: 'A',
        offerShelter: { intakeInstructions: instructions },
      });
      const accepted = await gql(
        w.api.url,
        DOC.respondToOffer,
        { offerId: f.offerId, input: { accept: true, intakeInstructions: '  Meet Sam at the library at 7 pm ' } },
        w.tokens.staffA,
      );
      expect(accepted.data?.respondToOffer.intakeInstructions).toBe('Meet Sam at the library at 7 pm');
      const r = await gql(w.api.url, DOC.referral, { id: f.id }, w.tokens.advocate);
      expect(r.data.referral.offers).toEqual([
        expect.objectContaining({ id: f.offerId, intakeInstructions: 'Meet Sam at the library at 7 pm' }),
      ]);
      expect(JSON.stringify(r)).not.toContain(instructions);
    });

    it('an offer that was declined gives the agency no instructions', async () => {
      const instructions = canaryInstructions();
      // a closed referral (nothing for a worker to pick up later) whose one offer was declined
      const f = await referralFixture(w, 'WITHDRAWN', {
        offerTo: 'A',
        pastOfferStatus: 'DECLINED',
        offerShelter: { intakeInstructions: instructions },
      });
      const r = await gql(w.api.url, DOC.referral, { id: f.id }, w.tokens.advocate);
      expect(r.errors).toBeUndefined();
      expect(r.data.referral.offers).toEqual([
        expect.objectContaining({
          id: f.offerId,
          status: 'DECLINED',
          intakeInstructions: null,
          closedAt: expect.any(String),
          closedReason: 'DECLINED',
        }),
      ]);
      expect(JSON.stringify(r)).not.toContain(instructions);
    });
  });

  // ── referralUpdated over graphql-ws ────────────────────────────────────────────────────────────────────────────

  describe('referralUpdated subscription', () => {
    const subscribeReferral = (client: WsClient, referralId: string): Sub => {
      const sub = collect(client, DOC.referralUpdated, { referralId });
      subs.push(sub);
      return sub;
    };
    /** A state change of the referral, repeatable: back to AWAITING_CONSENT in Postgres, then withdrawn. */
    const change = (referralId: string) => async () => {
      await w.fx.pg.query(`UPDATE referral SET state = 'AWAITING_CONSENT', closed_at = NULL WHERE id = $1`, [
        referralId,
      ]);
      const r = await gql(w.api.url, DOC.withdrawReferral, { referralId }, w.tokens.advocate);
      expect(r.errors).toBeUndefined();
    };

    it.each([
      ['no token', undefined],
      ['an invalid token', 'not-a-token'],
    ])('%s: the socket is refused at connect (4403)', async (_label, token) => {
      const f = await referralFixture(w, 'AWAITING_CONSENT');
      const sub = subscribeReferral(socket(token), f.id);
      await expect(sub.next(1, 3000)).rejects.toThrow(/subscription ended/);
      expect((sub.error as { code?: number }).code).toBe(4403);
      expect(sub.events).toEqual([]);
    });

    it("the referring agency's advocate follows every state change", async () => {
      const f = await referralFixture(w, 'AWAITING_CONSENT');
      const sub = subscribeReferral(socket(w.tokens.advocate), f.id);
      await triggerUntilEvent([sub], change(f.id));
      expectNoInternals(sub.events[0]);
      expect(sub.events[0].data.referralUpdated).toEqual({
        referralId: f.id,
        state: 'WITHDRAWN',
        occurredAt: expect.any(String),
      });
    });

    it.each([...(['staffA', 'staffB', 'coordinator', 'admin'] as const), 'another agency' as const])(
      '%s subscribing to the referral → NOT_FOUND, and nothing is delivered',
      async (who) => {
        const f = await referralFixture(w, 'AWAITING_CONSENT');
        const token = who === 'another agency' ? (await otherAgency(w)).token : w.tokens[who];
        const sub = subscribeReferral(socket(token), f.id);
        expectError(await sub.next(1, 5000), 'NOT_FOUND');
        await pause(50);
        expect(sub.completed || sub.error !== undefined).toBe(true);
        // the referral changes; still nothing reaches this subscriber
        const witness = subscribeReferral(socket(w.tokens.advocate), f.id);
        await triggerUntilEvent([witness], change(f.id));
        expect(witness.events.length).toBeGreaterThan(0);
        await pause(200);
        // the refusal came as an error (an `error` message or an event without data); never an update
        expect(sub.events.filter((e) => e.data)).toEqual([]);
      },
    );

    it.each(SIGNED_IN)('%s subscribing to an unknown referral → NOT_FOUND', async (role) => {
      expectError(await subscribeReferral(socket(w.tokens[role]), UNKNOWN_ID).next(1, 5000), 'NOT_FOUND');
    });

    it.each(SIGNED_IN)('%s subscribing to a malformed referral id → BAD_USER_INPUT', async (role) => {
      expectError(
        await subscribeReferral(socket(w.tokens[role]), 'not-a-uuid').next(1, 5000),
        'BAD_USER_INPUT',
        'referralId',
      );
    });
  });

  // ── offerReceived and offerUpdated over graphql-ws (last: they run the real worker) ────────────────────────────

  describe.each(['offerReceived', 'offerUpdated'] as const)('%s subscription: who may listen', (name) => {
    const subscribe = (client: WsClient, shelterId: string): Sub => {
      const sub = collect(client, DOC[name], { shelterId });
      subs.push(sub);
      return sub;
    };

    it.each([
      ['no token', undefined],
      ['an invalid token', 'not-a-token'],
    ])('%s: the socket is refused at connect (4403)', async (_label, token) => {
      const sub = subscribe(socket(token), w.shelters.a);
      await expect(sub.next(1, 3000)).rejects.toThrow(/subscription ended/);
      expect((sub.error as { code?: number }).code).toBe(4403);
      expect(sub.events).toEqual([]);
    });

    it.each([
      ...(['staffB', 'advocate', 'coordinator', 'admin'] as SignedInRole[]).map((role) => [role, 'A'] as const),
      ...(['staffA', 'advocate', 'coordinator', 'admin'] as SignedInRole[]).map((role) => [role, 'B'] as const),
    ])("%s subscribing to provider %s's shelter → NOT_FOUND", async (role, owner) => {
      const sub = subscribe(socket(w.tokens[role]), owner === 'A' ? w.shelters.a : w.shelters.b);
      expectError(await sub.next(1, 5000), 'NOT_FOUND');
      await pause(50);
      expect(sub.completed || sub.error !== undefined).toBe(true);
    });

    it.each(SIGNED_IN)('%s subscribing to an unknown shelter → NOT_FOUND', async (role) => {
      expectError(await subscribe(socket(w.tokens[role]), UNKNOWN_ID).next(1, 5000), 'NOT_FOUND');
    });

    it.each(SIGNED_IN)('%s subscribing to a malformed shelter id → BAD_USER_INPUT', async (role) => {
      expectError(await subscribe(socket(w.tokens[role]), 'not-a-uuid').next(1, 5000), 'BAD_USER_INPUT', 'shelterId');
    });
  });

  describe('offerReceived subscription', () => {
    const subscribeOffers = (client: WsClient, shelterId: string): Sub => {
      const sub = collect(client, DOC.offerReceived, { shelterId });
      subs.push(sub);
      return sub;
    };

    describe('with the worker making the offer', () => {
      let worker: RunningApi & { child: ChildProcess };
      beforeAll(async () => {
        worker = await startWorker(w);
      });
      afterAll(() => worker.close());

      it("only that shelter's staff hear of it; the notice carries ids, never needs or identity", async () => {
        // the only shelter serving men, so the worker can offer this referral nowhere else
        const shelter = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, {
          name: unique('Mens house '),
          elig: { genders: [Gender.MAN] },
        });
        await w.fx.pool(shelter, 'SINGLE', 2);
        const mine = subscribeOffers(socket(w.tokens.staffA), shelter);
        const sibling = subscribeOffers(socket(w.tokens.staffA), w.shelters.a);
        const refused = subscribeOffers(socket(w.tokens.staffB), shelter);
        expectError(await refused.next(1, 5000), 'NOT_FOUND');
        await pause(500);

        const submitted = await gql(
          w.api.url,
          DOC.submitReferral,
          { input: referralInput(w, { needs: needs({ gender: 'MAN' }), identity: CANARY }) },
          w.tokens.advocate,
        );
        const { id } = submitted.data.submitReferral;
        const consented = await gql(
          w.api.url,
          DOC.recordConsent,
          { referralId: id, input: consentInput() },
          w.tokens.advocate,
        );
        expect(consented.errors).toBeUndefined();
        await waitForState(w, id, 'OFFERED');

        const notice = await mine.next(1, 10_000);
        expectNoInternals(notice);
        const offers = offerNodes((await gql(w.api.url, DOC.offers, { shelterId: shelter }, w.tokens.staffA)).data);
        expect(offers).toHaveLength(1);
        expect(notice.data.offerReceived).toEqual({
          offerId: offers[0].id,
          shelterId: shelter,
          respondBy: offers[0].respondBy,
        });
        await pause(300);
        expect(sibling.events).toEqual([]);
        expect(refused.events.filter((e) => e.data)).toEqual([]);
        expect(JSON.stringify([mine.events, sibling.events, refused.events])).not.toContain(CANARY.name);
        await gql(w.api.url, DOC.withdrawReferral, { referralId: id }, w.tokens.advocate);
      });
    });
  });

  describe('offerUpdated subscription', () => {
    const subscribeUpdates = (client: WsClient, shelterId: string): Sub => {
      const sub = collect(client, DOC.offerUpdated, { shelterId });
      subs.push(sub);
      return sub;
    };
    const updates = (s: Sub) => s.events.map((e) => e.data?.offerUpdated);

    describe('with the worker making the offers', () => {
      let worker: RunningApi & { child: ChildProcess };
      beforeAll(async () => {
        worker = await startWorker(w);
      });
      afterAll(() => worker.close());

      /** A shelter of provider A that alone serves `gender` here, so the worker can offer such referrals nowhere else. */
      const onlyShelterFor = async (gender: Gender) => {
        const shelter = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, {
          name: unique('Only house '),
          elig: { genders: [gender] },
        });
        await w.fx.pool(shelter, 'SINGLE', 1);
        return shelter;
      };
      /** Submits a referral of `gender` with the canary identity and consents: the worker matches it. */
      const refer = async (gender: Gender): Promise<string> => {
        const submitted = await gql(
          w.api.url,
          DOC.submitReferral,
          { input: referralInput(w, { needs: needs({ gender }), identity: CANARY }) },
          w.tokens.advocate,
        );
        const { id } = submitted.data.submitReferral;
        const consented = await gql(
          w.api.url,
          DOC.recordConsent,
          { referralId: id, input: consentInput() },
          w.tokens.advocate,
        );
        expect(consented.errors).toBeUndefined();
        return id;
      };
      const act = async (query: string, variables: Record<string, unknown>, token = w.tokens.staffA) => {
        const r = await gql(w.api.url, query, variables, token);
        expect(r.errors).toBeUndefined();
        return r;
      };
      const offerAs = async (id: string, token = w.tokens.staffA) =>
        (await gql(w.api.url, DOC.offer, { id }, token)).data?.offer;

      it("the shelter's staff follow every stage of its offer; a sibling shelter and other providers hear nothing", async () => {
        const shelter = await onlyShelterFor(Gender.TRANSGENDER_MAN);
        // another shelter of the same provider, without beds: it is offered nothing, so it must hear nothing
        const sibling = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, { name: unique('Sibling ') });
        const mine = subscribeUpdates(socket(w.tokens.staffA), shelter);
        const siblings = subscribeUpdates(socket(w.tokens.staffA), sibling);
        const refused = subscribeUpdates(socket(w.tokens.staffB), shelter);
        expectError(await refused.next(1, 5000), 'NOT_FOUND');
        await pause(500);

        const id = await refer(Gender.TRANSGENDER_MAN);
        await waitForState(w, id, 'OFFERED');
        const opened = await mine.next(1, 10_000);
        expectNoInternals(opened);
        const offerId: string = opened.data.offerUpdated.offerId;
        expect(await offerAs(offerId)).toMatchObject({ shelterId: shelter, stage: 'OPEN', status: 'OPEN' });

        await act(DOC.respondToOffer, { offerId, input: { accept: true } });
        await mine.next(2, 5000);
        await act(DOC.confirmIntake, { offerId });
        await mine.next(3, 5000);
        await act(DOC.recordExit, { offerId, destination: 'PERMANENT_HOUSING' });
        await mine.next(4, 5000);

        const update = (stage: string, status: string) => ({
          offerId,
          shelterId: shelter,
          stage,
          status,
          occurredAt: expect.any(String),
        });
        expect(updates(mine)).toEqual([
          update('OPEN', 'OPEN'),
          update('AWAITING_ARRIVAL', 'ACCEPTED'),
          update('RESIDENT', 'ACCEPTED'),
          update('CLOSED', 'ACCEPTED'),
        ]);
        const times = updates(mine).map((u: { occurredAt: string }) => Date.parse(u.occurredAt));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        // what the last update announced is what the offer query reads
        expect(await offerAs(offerId)).toMatchObject({
          stage: 'CLOSED',
          closedReason: 'EXITED',
          exitDestination: 'PERMANENT_HOUSING',
          needs: null,
        });

        await pause(300);
        expect(siblings.events).toEqual([]);
        expect(refused.events.filter((e) => e.data)).toEqual([]);
        // updates carry ids and stages: never needs or identity
        const json = JSON.stringify([mine.events, siblings.events, refused.events]);
        for (const secret of [CANARY.name, CANARY.phone, CANARY.notes]) expect(json).not.toContain(secret);
        expect(json).not.toContain('"needs"');
      });

      it('a decline closes the offer at one shelter (CLOSED, DECLINED); the next shelter hears of its own offer only', async () => {
        const shelters = [await onlyShelterFor(Gender.NON_BINARY), await onlyShelterFor(Gender.NON_BINARY)];
        const subs2 = shelters.map((shelter) => subscribeUpdates(socket(w.tokens.staffA), shelter));
        await pause(500);

        const id = await refer(Gender.NON_BINARY);
        await waitForState(w, id, 'OFFERED');
        const deadline = Date.now() + 10_000;
        while (subs2.every((s) => s.events.length === 0) && Date.now() < deadline) await pause(50);
        const first = subs2.findIndex((s) => s.events.length > 0);
        expect(first).toBeGreaterThanOrEqual(0);
        const [declining, next] = [subs2[first], subs2[1 - first]];
        const declined: string = declining.events[0].data.offerUpdated.offerId;

        await act(DOC.respondToOffer, { offerId: declined, input: { accept: false, declineReason: 'STAFFING' } });
        await declining.next(2, 5000);
        // the worker matches again and offers the other shelter's bed
        const opened = await next.next(1, 10_000);
        const offered: string = opened.data.offerUpdated.offerId;
        expect(offered).not.toBe(declined);
        await act(DOC.withdrawReferral, { referralId: id }, w.tokens.advocate);
        await next.next(2, 5000);

        const update = (offerId: string, shelterId: string, stage: string, status: string) => ({
          offerId,
          shelterId,
          stage,
          status,
          occurredAt: expect.any(String),
        });
        expect(updates(declining)).toEqual([
          update(declined, shelters[first], 'OPEN', 'OPEN'),
          update(declined, shelters[first], 'CLOSED', 'DECLINED'),
        ]);
        expect(updates(next)).toEqual([
          update(offered, shelters[1 - first], 'OPEN', 'OPEN'),
          // withdrawn by the agency before an answer: taken back
          update(offered, shelters[1 - first], 'CLOSED', 'CANCELLED'),
        ]);
        expect(await offerAs(declined)).toMatchObject({ stage: 'CLOSED', closedReason: 'DECLINED', needs: null });
        expect(await offerAs(offered)).toMatchObject({ stage: 'CLOSED', closedReason: 'WITHDRAWN', needs: null });
        await pause(300);
        expect(declining.events).toHaveLength(2);
        expect(next.events).toHaveLength(2);
        expect(JSON.stringify([declining.events, next.events])).not.toContain(CANARY.name);
      });
    });

    // after the worker has stopped: a no-show's new matching waits in the queue, and no offer follows here
    it.each([
      ['consent to share needs revoked after acceptance', 'ACCEPTED', 'CONSENT_REVOKED'],
      ['a no-show recorded by the staff', 'CANCELLED', 'NO_SHOW'],
    ])('%s: the shelter hears CLOSED (status %s)', async (_label, status, closedReason) => {
      const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'A' });
      const mine = subscribeUpdates(socket(w.tokens.staffA), f.shelterId!);
      await pause(500);
      const r =
        closedReason === 'NO_SHOW'
          ? await gql(w.api.url, DOC.recordNoShow, { offerId: f.offerId }, w.tokens.staffA)
          : await gql(w.api.url, DOC.revokeConsent, { consentId: f.consentId }, w.tokens.advocate);
      expect(r.errors).toBeUndefined();
      const event = await mine.next(1, 5000);
      expectNoInternals(event);
      expect(event.data.offerUpdated).toEqual({
        offerId: f.offerId,
        shelterId: f.shelterId,
        stage: 'CLOSED',
        status,
        occurredAt: expect.any(String),
      });
      const offer = await gql(w.api.url, DOC.offer, { id: f.offerId }, w.tokens.staffA);
      expect(offer.data.offer).toMatchObject({ stage: 'CLOSED', status, closedReason, needs: null });
      await pause(200);
      expect(mine.events).toHaveLength(1);
    });
  });
});
