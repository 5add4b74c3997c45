import type { Client as WsClient } from 'graphql-ws';
import { PASSWORD } from '../support/fixtures';
import { gql, GqlResult, login, wsClient } from '../support/gql';
import { checkInvariants } from '../support/referrals';
import {
  consentInput,
  dbFingerprint,
  DOC,
  eligibility,
  expectError,
  expectNoInternals,
  lastWeek,
  needs,
  offerNodes,
  otherAgency,
  referralFixture,
  referralInput,
  ROLE_EMAILS,
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
  /** Over HTTP only: the operation reads and sets the refresh cookie, which a WebSocket cannot carry. */
  httpOnly?: true;
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

/** A stale-count reminder to provider `owner`'s staff, about one of its shelters. */
async function staleReminder(w: World, owner: 'A' | 'B'): Promise<string> {
  const shelterId = await freshShelter(w, owner);
  const row = await w.fx.one<{ id: string }>(
    `INSERT INTO notification (organisation_id, shelter_id, kind, message, about_verified_at, stale_window)
     VALUES ($1, $2, 'STALE_COUNTS', 'please confirm your counts', now(), 1) RETURNING id`,
    [providerOf(w, owner), shelterId],
  );
  return row.id;
}

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
          variables: { id, input: { name, city: 'Newtown', intakeInstructions: '  Ring the side door at 6 pm  ' } },
          verify: async (data) => {
            // trimmed, and returned to the shelter's own staff
            expect(data.updateShelter).toMatchObject({
              id,
              name,
              city: 'Newtown',
              intakeInstructions: 'Ring the side door at 6 pm',
            });
            expect(await w.fx.one('SELECT name, intake_instructions FROM shelter WHERE id = $1', [id])).toEqual({
              name,
              intake_instructions: 'Ring the side door at 6 pm',
            });
          },
        };
      },
    },
    {
      op: 'updateShelter',
      target: `${target} (intake instructions cleared)`,
      expect: ownedBy(owner),
      build: async (w) => {
        const id = await freshShelter(w, owner);
        return {
          query: DOC.updateShelter,
          variables: { id, input: { intakeInstructions: null } },
          verify: async (data) => {
            expect(data.updateShelter).toMatchObject({ id, intakeInstructions: null });
            expect(await w.fx.one('SELECT intake_instructions FROM shelter WHERE id = $1', [id])).toEqual({
              intake_instructions: null,
            });
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

/** Referrals: only the referring agency's advocates act on them; other roles are refused outright. */
const advocateOnly: Expectations = { anonymous: U, staffA: F, staffB: F, advocate: 'ok', coordinator: F, admin: F };
/** Another agency's referral: the advocate does not find it; other roles are refused before looking. */
const otherAgencys: Expectations = { ...advocateOnly, advocate: N };
/** `referral(id)` answers NOT_FOUND to every signed-in caller but the agency's advocate. */
const agencyReads: Expectations = { anonymous: U, staffA: N, staffB: N, advocate: 'ok', coordinator: N, admin: N };

const IDENTITY = { name: 'Matrix Canary', dateOfBirth: '1991-02-03', phone: '+1 555 0177', notes: 'matrix notes' };
/** The fixture shelters' default intake instructions (test/support/fixtures.ts). */
const FIXTURE_INSTRUCTIONS = 'Call the intake line on +1 555 0100';

/** A referral row's checks in Postgres, after an allowed call. */
async function referralRow(w: World, id: string) {
  return w.fx.one<{ state: string; closed: boolean; match_attempt: number; exit_destination: string | null }>(
    `SELECT state, closed_at IS NOT NULL AS closed, match_attempt, exit_destination FROM referral WHERE id = $1`,
    [id],
  );
}
async function holdStatus(w: World, id: string | null) {
  return (await w.fx.one<{ status: string }>(`SELECT status FROM bed_hold WHERE id = $1`, [id])).status;
}
async function offerStatus(w: World, id: string | null) {
  return (await w.fx.one<{ status: string }>(`SELECT status FROM offer WHERE id = $1`, [id])).status;
}

/** The offer mutations, once against an offer to a shelter of provider A and once of provider B. */
function offerRows(owner: 'A' | 'B'): Row[] {
  const staffOf = (w: World) => (owner === 'A' ? w.users.staffA : w.users.staffB);
  return [
    {
      op: 'respondToOffer',
      target: `an open offer to provider ${owner} (accept)`,
      expect: ownedBy(owner),
      build: async (w) => {
        const f = await referralFixture(w, 'OFFERED', { offerTo: owner });
        return {
          query: DOC.respondToOffer,
          variables: { offerId: f.offerId, input: { accept: true, intakeInstructions: 'Meet at the library' } },
          verify: async (data) => {
            expect(data.respondToOffer).toMatchObject({
              id: f.offerId,
              referralId: f.id,
              status: 'ACCEPTED',
              intakeInstructions: 'Meet at the library',
              identity: null,
            });
            expect(await referralRow(w, f.id)).toMatchObject({ state: 'ACCEPTED' });
            expect(await w.fx.one('SELECT status, responded_by FROM offer WHERE id = $1', [f.offerId])).toEqual({
              status: 'ACCEPTED',
              responded_by: staffOf(w),
            });
            // the bed stays held until intake
            expect(await holdStatus(w, f.holdId)).toBe('ACTIVE');
            expect(await w.fx.poolRow(f.poolId!)).toMatchObject({ held: 1, occupied: 0 });
          },
        };
      },
    },
    {
      op: 'respondToOffer',
      target: `an open offer to provider ${owner} (decline)`,
      expect: ownedBy(owner),
      build: async (w) => {
        const f = await referralFixture(w, 'OFFERED', { offerTo: owner });
        return {
          query: DOC.respondToOffer,
          variables: { offerId: f.offerId, input: { accept: false, declineReason: 'NO_BED_AVAILABLE', note: 'full' } },
          verify: async (data) => {
            expect(data.respondToOffer).toMatchObject({
              id: f.offerId,
              status: 'DECLINED',
              declineReason: 'NO_BED_AVAILABLE',
            });
            // the hold is released and matching resumes with the next attempt
            expect(await referralRow(w, f.id)).toMatchObject({ state: 'MATCHING', match_attempt: 2 });
            expect(await holdStatus(w, f.holdId)).toBe('RELEASED');
            expect(await w.fx.poolRow(f.poolId!)).toMatchObject({ held: 0, available: 4 });
          },
        };
      },
    },
    {
      op: 'confirmIntake',
      target: `an accepted offer of provider ${owner}`,
      expect: ownedBy(owner),
      build: async (w) => {
        const f = await referralFixture(w, 'ACCEPTED', { offerTo: owner });
        return {
          query: DOC.confirmIntake,
          variables: { offerId: f.offerId },
          verify: async (data) => {
            expect(data.confirmIntake).toMatchObject({ id: f.offerId, status: 'ACCEPTED' });
            expect(await referralRow(w, f.id)).toMatchObject({ state: 'PLACED' });
            // the held bed became an occupied bed
            expect(await holdStatus(w, f.holdId)).toBe('CONVERTED');
            expect(await w.fx.poolRow(f.poolId!)).toMatchObject({ held: 0, occupied: 1, available: 3 });
          },
        };
      },
    },
    {
      op: 'recordNoShow',
      target: `an accepted offer of provider ${owner}`,
      expect: ownedBy(owner),
      build: async (w) => {
        const f = await referralFixture(w, 'ACCEPTED', { offerTo: owner });
        return {
          query: DOC.recordNoShow,
          variables: { offerId: f.offerId },
          verify: async (data) => {
            expect(data.recordNoShow.id).toBe(f.offerId);
            expect(await referralRow(w, f.id)).toMatchObject({ state: 'MATCHING', match_attempt: 2 });
            expect(await holdStatus(w, f.holdId)).toBe('RELEASED');
            expect(await w.fx.poolRow(f.poolId!)).toMatchObject({ held: 0, occupied: 0, available: 4 });
          },
        };
      },
    },
    {
      op: 'recordExit',
      target: `a placement at provider ${owner}`,
      expect: ownedBy(owner),
      build: async (w) => {
        const f = await referralFixture(w, 'PLACED', { offerTo: owner });
        return {
          query: DOC.recordExit,
          variables: { offerId: f.offerId, destination: 'TRANSITIONAL_PROGRAMME' },
          verify: async (data) => {
            expect(data.recordExit.id).toBe(f.offerId);
            expect(await referralRow(w, f.id)).toMatchObject({
              state: 'EXITED',
              closed: true,
              exit_destination: 'TRANSITIONAL_PROGRAMME',
            });
            expect(await w.fx.poolRow(f.poolId!)).toMatchObject({ held: 0, occupied: 0, available: 4 });
          },
        };
      },
    },
  ];
}

const REFERRAL_ROWS: Row[] = [
  // ── referral queries ──
  {
    op: 'referral',
    target: "the agency's referral, with an identity",
    expect: agencyReads,
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: IDENTITY });
      return {
        query: DOC.referral,
        variables: { id: f.id },
        verify: async (data) => {
          expect(data.referral).toMatchObject({ id: f.id, state: 'OFFERED', hasIdentity: true, identity: IDENTITY });
          expect(data.referral.offers).toEqual([expect.objectContaining({ id: f.offerId, status: 'OPEN' })]);
          // the read is audited
          expect(
            await w.fx.count('identity_access', 'referral_id = $1 AND user_id = $2', [f.id, w.users.advocate]),
          ).toBe(1);
        },
      };
    },
  },
  {
    op: 'referral',
    target: "another agency's referral",
    expect: { ...agencyReads, advocate: N },
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', agency: await otherAgency(w) });
      return { query: DOC.referral, variables: { id: f.id } };
    },
  },
  {
    op: 'referrals',
    target: "the agency's waitlisted referrals",
    expect: advocateOnly,
    build: async (w) => {
      const own = await referralFixture(w, 'WAITLISTED');
      const other = await referralFixture(w, 'WAITLISTED', { agency: await otherAgency(w) });
      return {
        query: DOC.referrals,
        variables: { state: 'WAITLISTED', first: 100 },
        verify: async (data) => {
          const ids = data.referrals.edges.map((e: { node: { id: string } }) => e.node.id);
          expect(ids).toContain(own.id);
          expect(ids).not.toContain(other.id);
          expect(new Set(data.referrals.edges.map((e: { node: { state: string } }) => e.node.state))).toEqual(
            new Set(['WAITLISTED']),
          );
          expect(await w.fx.count('referral', 'id = ANY($1) AND agency_id <> $2', [ids, w.orgs.agency])).toBe(0);
        },
      };
    },
  },
  {
    op: 'offers',
    target: 'an open offer to provider A',
    expect: anyStaff,
    build: async (w, role) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A' });
      const org = role === 'staffA' ? w.orgs.providerA : w.orgs.providerB;
      return {
        query: DOC.offers,
        // rows before this one left open offers too: one page holds them all
        variables: { first: 100 },
        verify: async (data) => {
          const offers: { id: string; shelterId: string; needs: unknown; identity: unknown }[] = offerNodes(data);
          if (role === 'staffA') {
            expect(offers.find((o) => o.id === f.offerId)).toMatchObject({
              referralId: f.id,
              referenceCode: f.referenceCode,
              shelterId: f.shelterId,
              status: 'OPEN',
              needs: { age: 30, gender: 'WOMAN', urgency: 'TONIGHT' },
              identity: null,
            });
          } else expect(offers.map((o) => o.id)).not.toContain(f.offerId);
          const shelters = offers.map((o) => o.shelterId);
          expect(await w.fx.count('shelter', 'id = ANY($1) AND organisation_id <> $2', [shelters, org])).toBe(0);
        },
      };
    },
  },
  {
    op: 'offers',
    target: "provider A's shelter, by shelterId",
    // another organisation's shelter is not found, as in offerReceived and offerUpdated
    expect: ownedBy('A'),
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A' });
      return {
        query: DOC.offers,
        variables: { shelterId: f.shelterId },
        verify: (data) => expect(offerNodes(data).map((o: { id: string }) => o.id)).toEqual([f.offerId]),
      };
    },
  },
  {
    op: 'offers',
    target: 'an accepted offer to provider A (stages: AWAITING_ARRIVAL)',
    expect: anyStaff,
    build: async (w, role) => {
      const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'A' });
      const org = role === 'staffA' ? w.orgs.providerA : w.orgs.providerB;
      return {
        query: DOC.offers,
        variables: { stages: ['AWAITING_ARRIVAL'], first: 100 },
        verify: async (data) => {
          const offers: { id: string; shelterId: string; stage: string; holdExpiresAt: string }[] = offerNodes(data);
          if (role === 'staffA') {
            expect(offers.find((o) => o.id === f.offerId)).toMatchObject({
              referralId: f.id,
              shelterId: f.shelterId,
              stage: 'AWAITING_ARRIVAL',
              status: 'ACCEPTED',
              holdExpiresAt: expect.any(String),
              intakeInstructions: 'Call the intake line',
              closedAt: null,
              closedReason: null,
              needs: { age: 30, gender: 'WOMAN', urgency: 'TONIGHT' },
            });
            expect(Date.parse(offers.find((o) => o.id === f.offerId)!.holdExpiresAt)).toBeGreaterThan(Date.now());
          } else expect(offers.map((o) => o.id)).not.toContain(f.offerId);
          // only the stage asked for, soonest "arrive by" first, and only the caller's own shelters
          expect(new Set(offers.map((o) => o.stage))).toEqual(new Set(offers.length ? ['AWAITING_ARRIVAL'] : []));
          const arriveBy = offers.map((o) => Date.parse(o.holdExpiresAt));
          expect(arriveBy).toEqual([...arriveBy].sort((a, b) => a - b));
          const shelters = offers.map((o) => o.shelterId);
          expect(await w.fx.count('shelter', 'id = ANY($1) AND organisation_id <> $2', [shelters, org])).toBe(0);
        },
      };
    },
  },
  {
    op: 'offers',
    target: "an exited resident's offer to provider A (stages: CLOSED)",
    expect: anyStaff,
    build: async (w, role) => {
      const f = await referralFixture(w, 'EXITED', { offerTo: 'A' });
      const org = role === 'staffA' ? w.orgs.providerA : w.orgs.providerB;
      return {
        query: DOC.offers,
        variables: { stages: ['CLOSED'], first: 100 },
        verify: async (data) => {
          const offers: { id: string; shelterId: string; stage: string; closedAt: string }[] = offerNodes(data);
          if (role === 'staffA') {
            // the newest closed offer comes first; what it was about is no longer shown
            expect(offers[0]).toMatchObject({
              id: f.offerId,
              referralId: f.id,
              shelterId: f.shelterId,
              stage: 'CLOSED',
              status: 'ACCEPTED',
              holdExpiresAt: null,
              intakeConfirmedAt: expect.any(String),
              closedAt: expect.any(String),
              closedReason: 'EXITED',
              exitDestination: 'PERMANENT_HOUSING',
              needs: null,
              identity: null,
            });
          } else expect(offers.map((o) => o.id)).not.toContain(f.offerId);
          expect(new Set(offers.map((o) => o.stage))).toEqual(new Set(offers.length ? ['CLOSED'] : []));
          const closedAt = offers.map((o) => Date.parse(o.closedAt));
          expect(closedAt).toEqual([...closedAt].sort((a, b) => b - a));
          const shelters = offers.map((o) => o.shelterId);
          expect(await w.fx.count('shelter', 'id = ANY($1) AND organisation_id <> $2', [shelters, org])).toBe(0);
        },
      };
    },
  },
  {
    op: 'offer',
    target: "provider A's open offer",
    expect: ownedBy('A'),
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A' });
      return {
        query: DOC.offer,
        variables: { id: f.offerId },
        verify: async (data) => {
          expect(data.offer).toEqual({
            id: f.offerId,
            referralId: f.id,
            referenceCode: f.referenceCode,
            shelterId: f.shelterId,
            stage: 'OPEN',
            status: 'OPEN',
            respondBy: expect.any(String),
            // while open, the bed is held until the answer deadline
            holdExpiresAt: expect.any(String),
            respondedAt: null,
            declineReason: null,
            intakeInstructions: null,
            intakeConfirmedAt: null,
            closedAt: null,
            closedReason: null,
            exitDestination: null,
            needs: { age: 30, gender: 'WOMAN', urgency: 'TONIGHT' },
            identity: null,
          });
          expect(Date.parse(data.offer.holdExpiresAt)).toBe(Date.parse(data.offer.respondBy));
          const hold = await w.fx.one<{ expires_at: Date }>(`SELECT expires_at FROM bed_hold WHERE id = $1`, [
            f.holdId,
          ]);
          expect(Date.parse(data.offer.holdExpiresAt)).toBe(hold.expires_at.getTime());
        },
      };
    },
  },
  {
    op: 'offer',
    target: "provider B's accepted offer",
    expect: ownedBy('B'),
    build: async (w) => {
      const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'B' });
      return {
        query: DOC.offer,
        variables: { id: f.offerId },
        verify: (data) =>
          expect(data.offer).toMatchObject({
            id: f.offerId,
            shelterId: f.shelterId,
            stage: 'AWAITING_ARRIVAL',
            status: 'ACCEPTED',
            holdExpiresAt: expect.any(String),
            intakeInstructions: 'Call the intake line',
            closedReason: null,
          }),
      };
    },
  },
  // ── referral mutations ──
  {
    op: 'submitReferral',
    target: "a new referral of the caller's agency",
    expect: advocateOnly,
    build: async (w) => ({
      query: DOC.submitReferral,
      variables: { input: referralInput(w) },
      verify: async (data) => {
        const { id } = data.submitReferral;
        expect(data.submitReferral).toMatchObject({ state: 'AWAITING_CONSENT', regionId: w.regions.countyA });
        expect(await w.fx.one('SELECT agency_id, created_by, state FROM referral WHERE id = $1', [id])).toEqual({
          agency_id: w.orgs.agency,
          created_by: w.users.advocate,
          state: 'AWAITING_CONSENT',
        });
        expect(await w.fx.count('referral_event', 'referral_id = $1', [id])).toBe(1);
      },
    }),
  },
  {
    op: 'recordConsent',
    target: "the agency's referral awaiting consent",
    expect: advocateOnly,
    build: async (w) => {
      const f = await referralFixture(w, 'AWAITING_CONSENT');
      return {
        query: DOC.recordConsent,
        variables: { referralId: f.id, input: consentInput() },
        verify: async (data) => {
          expect(data.recordConsent).toMatchObject({ id: f.id, state: 'MATCHING' });
          expect(await w.fx.count('consent', 'referral_id = $1 AND recorded_by = $2', [f.id, w.users.advocate])).toBe(
            1,
          );
          expect(
            await w.fx.count('outbox', `job_name = 'referral.match' AND payload->>'referralId' = $1`, [f.id]),
          ).toBe(1);
        },
      };
    },
  },
  {
    op: 'recordConsent',
    target: "another agency's referral",
    expect: otherAgencys,
    build: async (w) => {
      const f = await referralFixture(w, 'AWAITING_CONSENT', { agency: await otherAgency(w) });
      return { query: DOC.recordConsent, variables: { referralId: f.id, input: consentInput() } };
    },
  },
  {
    op: 'revokeConsent',
    target: "the consent of the agency's offered referral",
    expect: advocateOnly,
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A' });
      return {
        query: DOC.revokeConsent,
        variables: { consentId: f.consentId },
        verify: async (data) => {
          expect(data.revokeConsent).toMatchObject({ id: f.id, state: 'CONSENT_REVOKED' });
          expect(data.revokeConsent.consents).toEqual([{ id: f.consentId, revokedAt: expect.any(String) }]);
          // at once: the offer is withdrawn from the shelter and the bed released
          expect(await referralRow(w, f.id)).toMatchObject({ state: 'CONSENT_REVOKED', closed: true });
          expect(await offerStatus(w, f.offerId)).toBe('CANCELLED');
          expect(await holdStatus(w, f.holdId)).toBe('RELEASED');
          expect(await w.fx.poolRow(f.poolId!)).toMatchObject({ held: 0, available: 4 });
        },
      };
    },
  },
  {
    op: 'revokeConsent',
    target: "the consent of another agency's referral",
    expect: otherAgencys,
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', agency: await otherAgency(w) });
      return { query: DOC.revokeConsent, variables: { consentId: f.consentId } };
    },
  },
  {
    op: 'withdrawReferral',
    target: "the agency's offered referral",
    expect: advocateOnly,
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'B' });
      return {
        query: DOC.withdrawReferral,
        variables: { referralId: f.id, reason: 'found family housing' },
        verify: async (data) => {
          expect(data.withdrawReferral).toMatchObject({ id: f.id, state: 'WITHDRAWN', closedAt: expect.any(String) });
          expect(await referralRow(w, f.id)).toMatchObject({ state: 'WITHDRAWN', closed: true });
          expect(await offerStatus(w, f.offerId)).toBe('CANCELLED');
          expect(await holdStatus(w, f.holdId)).toBe('RELEASED');
          expect(await w.fx.poolRow(f.poolId!)).toMatchObject({ held: 0, available: 4 });
        },
      };
    },
  },
  {
    op: 'withdrawReferral',
    target: "another agency's referral",
    expect: otherAgencys,
    build: async (w) => {
      const f = await referralFixture(w, 'OFFERED', { offerTo: 'B', agency: await otherAgency(w) });
      return { query: DOC.withdrawReferral, variables: { referralId: f.id } };
    },
  },
  ...offerRows('A'),
  ...offerRows('B'),
];

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
    build: async (w, role) => ({
      query: DOC.shelters,
      variables: { first: 100 },
      verify: (data) => {
        const ids = data.shelters.edges.map((e: { node: { id: string } }) => e.node.id);
        // a coordinator's directory: the shelters of their regions (county A)
        if (role === 'coordinator') {
          expect(ids).toEqual(expect.arrayContaining([w.shelters.a, w.shelters.aPublic]));
          expect(ids).not.toContain(w.shelters.b);
        } else expect(ids).toEqual(expect.arrayContaining([w.shelters.a, w.shelters.b, w.shelters.aPublic]));
      },
    }),
  },
  {
    op: 'shelter',
    target: "provider B's shelter in county B (outside the coordinator's regions)",
    expect: { ...everyoneSignedIn, coordinator: N },
    build: async (w) => ({
      query: DOC.shelter,
      variables: { id: w.shelters.b },
      verify: (data) => expect(data.shelter.id).toBe(w.shelters.b),
    }),
  },
  {
    op: 'shelter',
    target: "provider A's confidential shelter",
    expect: everyoneSignedIn,
    build: async (w, role) => ({
      query: DOC.shelter,
      variables: { id: w.shelters.a },
      // the default intake instructions are its own staff's alone
      verify: (data) =>
        expect(data.shelter).toMatchObject({
          id: w.shelters.a,
          intakeInstructions: role === 'staffA' ? FIXTURE_INSTRUCTIONS : null,
        }),
    }),
  },
  ...(['A', 'B'] as const).map((owner): Row => ({
    op: 'bedPoolEvents',
    target: `a pool of provider ${owner}`,
    expect: ownedBy(owner),
    build: async (w, role) => {
      const poolId = await w.fx.pool(await freshShelter(w, owner), 'SINGLE', 4);
      await gql(w.api.url, DOC.adjustBeds, { input: { poolId, occupiedDelta: 1 } }, tokenFor(w, role));
      return {
        query: DOC.bedPoolEvents,
        variables: { poolId },
        verify: (data) =>
          expect(data.bedPoolEvents.edges.map((e: { node: unknown }) => e.node)).toEqual([
            expect.objectContaining({ poolId, kind: 'ADJUSTED', occupied: 1, occupiedDelta: 1, madeByYou: true }),
          ]),
      };
    },
  })),
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
  // ── monitoring ──
  {
    op: 'regionCapacity',
    target: "county A (the coordinator's)",
    expect: { anonymous: U, staffA: F, staffB: F, advocate: F, coordinator: 'ok', admin: 'ok' },
    build: async (w) => ({
      query: DOC.regionCapacity,
      variables: { id: w.regions.countyA },
      verify: (data) => {
        expect(data.regionCapacity.regionId).toBe(w.regions.countyA);
        expect(data.regionCapacity.shelters).toBeGreaterThan(0);
      },
    }),
  },
  {
    op: 'regionCapacity',
    target: "county B (outside the coordinator's regions)",
    expect: { anonymous: U, staffA: F, staffB: F, advocate: F, coordinator: N, admin: 'ok' },
    build: async (w) => ({
      query: DOC.regionCapacity,
      variables: { id: w.regions.countyB },
      verify: (data) => expect(data.regionCapacity.regionId).toBe(w.regions.countyB),
    }),
  },
  ...(['referralStatistics', 'unmetNeed', 'occupancy'] as const).flatMap((op): Row[] =>
    (['countyA', 'countyB'] as const).map((county) => ({
      op,
      target: county === 'countyA' ? "county A (the coordinator's)" : "county B (outside the coordinator's regions)",
      expect: {
        anonymous: U,
        staffA: F,
        staffB: F,
        advocate: F,
        coordinator: county === 'countyA' ? 'ok' : N,
        admin: 'ok',
      },
      build: async (w) => {
        return {
          query: DOC[op],
          variables: { id: w.regions[county], period: lastWeek(), ...(op === 'occupancy' ? { bucket: 'DAY' } : {}) },
          verify: (data) => expect(data[op].regionId).toBe(w.regions[county]),
        };
      },
    })),
  ),
  ...(['A', 'B'] as const).flatMap((owner): Row[] => [
    {
      op: 'shelterWebhook',
      target: `a shelter of provider ${owner}`,
      expect: ownedBy(owner),
      build: async (w) => {
        const id = await w.fx.shelter(providerOf(w, owner), countyOf(w, owner));
        return {
          query: DOC.shelterWebhook,
          variables: { id },
          verify: (data) =>
            expect(data.shelterWebhook).toEqual({
              shelterId: id,
              url: null,
              signingSecret: expect.stringMatching(/^[0-9a-f]{64}$/),
            }),
        };
      },
    },
    {
      op: 'setShelterWebhook',
      target: `a shelter of provider ${owner}`,
      expect: ownedBy(owner),
      build: async (w) => {
        const id = await w.fx.shelter(providerOf(w, owner), countyOf(w, owner));
        return {
          query: DOC.setShelterWebhook,
          variables: { id, url: 'https://hooks.example.org/shelterlink' },
          verify: (data) => expect(data.setShelterWebhook.url).toBe('https://hooks.example.org/shelterlink'),
        };
      },
    },
    {
      op: 'rotateShelterWebhookSecret',
      target: `a shelter of provider ${owner}`,
      expect: ownedBy(owner),
      build: async (w) => {
        const id = await w.fx.shelter(providerOf(w, owner), countyOf(w, owner));
        return {
          query: DOC.rotateShelterWebhookSecret,
          variables: { id },
          verify: async (data) => {
            expect(data.rotateShelterWebhookSecret.shelterId).toBe(id);
            expect(await w.fx.count('shelter', `id = '${id}' AND webhook_secret_version = 2`)).toBe(1);
          },
        };
      },
    },
  ]),
  {
    op: 'notifications',
    target: "the caller's organisation's notifications",
    expect: { anonymous: U, staffA: 'ok', staffB: 'ok', advocate: F, coordinator: F, admin: F },
    build: async (w, role) => {
      const id = await staleReminder(w, 'A');
      return {
        query: DOC.notifications,
        verify: (data) => {
          const ids = data.notifications.map((n: { id: string }) => n.id);
          if (role === 'staffA') expect(ids).toContain(id);
          else expect(ids).not.toContain(id);
        },
      };
    },
  },
  ...(['A', 'B'] as const).map((owner): Row => ({
    op: 'markNotificationRead',
    target: `a notification to provider ${owner}`,
    expect: { ...ownedBy(owner) },
    build: async (w) => {
      const id = await staleReminder(w, owner);
      return {
        query: DOC.markNotificationRead,
        variables: { id },
        verify: (data) => expect(data.markNotificationRead).toEqual({ id, readAt: expect.any(String) }),
      };
    },
  })),
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
    op: 'renewSession',
    target: 'no refresh cookie (a bearer token renews nothing)',
    expect: { anonymous: U, staffA: U, staffB: U, advocate: U, coordinator: U, admin: U },
    httpOnly: true,
    build: async () => ({ query: DOC.renewSession }),
  },
  {
    op: 'signOut',
    target: "the caller's own sign-in",
    expect: everyone,
    httpOnly: true,
    build: async (w, role) => {
      const token = tokenFor(w, role);
      return {
        query: DOC.signOut,
        verify: async (data) => {
          expect(data.signOut).toBe(true);
          if (role === 'anonymous') return;
          // that token's sign-in ended: the rows after this one get a fresh one
          expect((await gql(w.api.url, DOC.me, {}, token)).errors?.[0]?.extensions?.code).toBe(U);
          w.tokens[role] = await login(w.api.url, ROLE_EMAILS[role], PASSWORD);
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
    op: 'updateUser',
    target: "another user's role and organisation",
    expect: adminOnly,
    build: async (w) => {
      const id = await w.fx.user(uniqueEmail('role'), 'HOTLINE_ADVOCATE', w.orgs.agency);
      return {
        query: `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id role } }`,
        variables: { id, input: { role: 'SHELTER_STAFF', organisationId: w.orgs.providerA } },
        verify: async (data) => {
          expect(data.updateUser).toMatchObject({ id, role: 'SHELTER_STAFF' });
          expect(await w.fx.one('SELECT role, organisation_id FROM app_user WHERE id = $1', [id])).toEqual({
            role: 'SHELTER_STAFF',
            organisation_id: w.orgs.providerA,
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
  {
    op: 'auditEvents',
    target: 'the security trail',
    expect: adminOnly,
    build: async (w) => {
      const id = await w.fx.user(uniqueEmail('audited'), 'SHELTER_STAFF', w.orgs.providerA);
      await gql(w.api.url, DOC.deactivateUser, { id }, w.tokens.admin);
      return {
        query: DOC.auditEvents,
        variables: { kinds: ['USER_DEACTIVATED'], first: 100 },
        verify: (data) =>
          expect(data.auditEvents.edges.map((e: { node: unknown }) => e.node)).toContainEqual(
            expect.objectContaining({ kind: 'USER_DEACTIVATED', actorUserId: w.users.admin, subjectId: id }),
          ),
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
      variables: { input: shelterInput(w, { intakeInstructions: ' Meet at the clinic entrance ' }) },
      verify: async (data) => {
        const org = role === 'staffA' ? w.orgs.providerA : w.orgs.providerB;
        expect(data.createShelter).toMatchObject({
          organisationId: org,
          address: '7 Quiet Lane',
          intakeInstructions: 'Meet at the clinic entrance',
        });
        expect(
          await w.fx.count('shelter', 'id = $1 AND organisation_id = $2 AND intake_instructions = $3', [
            data.createShelter.id,
            org,
            'Meet at the clinic entrance',
          ]),
        ).toBe(1);
      },
    }),
  },
  ...shelterRows('A'),
  ...shelterRows('B'),
  ...REFERRAL_ROWS,
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
  return ROWS.filter((row) => transport === 'http' || !row.httpOnly).flatMap((row) =>
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

  it('leaves every pool consistent with its holds', () => checkInvariants(w));
});
