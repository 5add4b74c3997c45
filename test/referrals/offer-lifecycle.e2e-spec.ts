import { Queue } from 'bullmq';
import type { Client as WsClient } from 'graphql-ws';
import { PASSWORD } from '../support/fixtures';
import { collect, errorCode, gql, GqlResult, login, wsClient } from '../support/gql';
import { consent, submit } from '../support/referrals';
import { DOC, referralFixture } from '../support/operations';
import { createWorld, World } from '../support/world';
import {
  cleanUpAfterTest,
  eventually,
  referralsQueue,
  shutDown,
  startReadyWorker,
  waitForDbState,
  Worker,
  WORKFLOW_ENV,
} from './harness';

/**
 * An offer's whole life as shelter staff live it: each step is taken by someone who has just signed in (a new
 * shift, another device) and finds the offer again through the `offers` query alone, never through an id kept from
 * an earlier answer. Open → accepted and awaiting arrival (with "arrive by") → resident → closed, each change heard
 * live through `offerUpdated`; the agency sees the same "arrive by". The real worker runs the workflow.
 */

const STAFF_A = 'staff.a@example.org';
const IDENTITY = { name: 'Lifecycle Person', phone: '+1 555 0188 321' };
const ADVOCATE_OFFERS = `query($id: ID!) {
  referral(id: $id) { state offers { id shelterId status holdExpiresAt intakeInstructions closedAt closedReason } }
}`;
const ACCEPT = `mutation($id: ID!, $i: RespondToOfferInput!) { respondToOffer(offerId: $id, input: $i) { id stage } }`;

interface StaffOffer {
  id: string;
  referenceCode: string;
  stage: string;
  status: string;
  respondBy: string;
  holdExpiresAt: string | null;
  intakeInstructions: string | null;
  intakeConfirmedAt: string | null;
  closedAt: string | null;
  closedReason: string | null;
  exitDestination: string | null;
  needs: { age: number } | null;
  identity: { name: string } | null;
}

describe('an offer through its whole life, for staff who sign in afresh at every step', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    w = await createWorld(WORKFLOW_ENV);
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue);
  });
  afterEach(() => cleanUpAfterTest(w, queue));
  afterAll(async () => {
    for (const socket of sockets) await socket.dispose();
    await shutDown(w, queue, worker);
  });

  /** A new shift: shelter A's staff sign in again. */
  const newShift = () => login(w.api.url, STAFF_A, PASSWORD);

  /** What staff find on their list, at `stages` (default: what they act on), by the reference code read out. */
  async function find(token: string, referenceCode: string, stages?: string[]): Promise<StaffOffer | undefined> {
    const r = await gql(w.api.url, DOC.offers, { stages: stages ?? null, first: 100 }, token);
    expect(r.errors).toBeUndefined();
    return (r.data.offers.edges as { node: StaffOffer }[])
      .map((e) => e.node)
      .find((o) => o.referenceCode === referenceCode);
  }

  async function offered(identityConsent = true) {
    const r = await submit(w, undefined, IDENTITY);
    await consent(w, r.id);
    if (identityConsent) {
      await consent(w, r.id, { scopes: ['SHARE_IDENTITY_WITH_RECIPIENT'], recipientShelterId: w.shelters.a });
    }
    await waitForDbState(w, r.id, 'OFFERED');
    return r;
  }

  function watch(token: string) {
    const socket = wsClient(w.api.url, token);
    sockets.push(socket);
    return collect(socket, DOC.offerUpdated, { shelterId: w.shelters.a });
  }

  it('open → arrival awaited until "arrive by" → resident → exited, found again after every sign-in', async () => {
    const live = watch(await newShift());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const audited = () => w.fx.count('identity_access', 'referral_id = $1', [r.id]);
    const r = await offered();

    // the evening shift: the offer is on the list, with the needs, no identity before acceptance
    let token = await newShift();
    const open = (await find(token, r.referenceCode))!;
    expect(open).toMatchObject({ stage: 'OPEN', status: 'OPEN', needs: { age: 30 }, identity: null });
    expect(open.holdExpiresAt).toBe(open.respondBy);
    const accepted = await gql(
      w.api.url,
      ACCEPT,
      { id: open.id, i: { accept: true, intakeInstructions: 'Ring the side door; ask for Sam' } },
      token,
    );
    expect(accepted.data.respondToOffer).toEqual({ id: open.id, stage: 'AWAITING_ARRIVAL' });

    // the night shift signs in: the arrival is there, with the time the hold ends and (consent names A) the identity
    token = await newShift();
    expect(await find(token, r.referenceCode, ['OPEN'])).toBeUndefined();
    const arriving = (await find(token, r.referenceCode))!;
    expect(arriving).toMatchObject({
      id: open.id,
      stage: 'AWAITING_ARRIVAL',
      status: 'ACCEPTED',
      intakeInstructions: 'Ring the side door; ask for Sam',
      identity: { name: IDENTITY.name },
      needs: { age: 30 },
    });
    const holdMinutes = (await w.fx.one(`SELECT hold_minutes FROM shelter WHERE id = $1`, [w.shelters.a])).hold_minutes;
    const arriveBy = Date.parse(arriving.holdExpiresAt!);
    const { responded_at: respondedAt } = await w.fx.one<{ responded_at: Date }>(
      `SELECT responded_at FROM offer WHERE id = $1`,
      [open.id],
    );
    const heldFor = arriveBy - respondedAt.getTime();
    expect(heldFor).toBe(holdMinutes * Number(WORKFLOW_ENV.WORKFLOW_MINUTE_MS));
    expect(await audited()).toBe(1);
    // the agency sees the same "arrive by" and the instructions
    const agency = await gql(w.api.url, ADVOCATE_OFFERS, { id: r.id }, w.tokens.advocate);
    expect(agency.data.referral.offers).toEqual([
      expect.objectContaining({
        id: open.id,
        status: 'ACCEPTED',
        holdExpiresAt: arriving.holdExpiresAt,
        intakeInstructions: 'Ring the side door; ask for Sam',
        closedAt: null,
      }),
    ]);

    // the survivor arrives during the night shift
    const intake = await gql(w.api.url, DOC.confirmIntake, { offerId: arriving.id }, token);
    expect(intake.data.confirmIntake).toMatchObject({ stage: 'RESIDENT', holdExpiresAt: null });

    // the next morning: the resident is on the list
    token = await newShift();
    const resident = (await find(token, r.referenceCode, ['RESIDENT']))!;
    expect(resident).toMatchObject({ stage: 'RESIDENT', holdExpiresAt: null, closedAt: null });
    expect(resident.intakeConfirmedAt).not.toBeNull();
    expect(await audited()).toBe(3); // the intake answer and this list read the identity too

    // weeks later, another device: the exit
    token = await newShift();
    const leaving = (await find(token, r.referenceCode))!;
    const exit = await gql(w.api.url, DOC.recordExit, { offerId: leaving.id, destination: 'PERMANENT_HOUSING' }, token);
    expect(exit.errors).toBeUndefined();

    // closed: gone from the current list, first on the closed list, with why, and no needs any more
    token = await newShift();
    expect(await find(token, r.referenceCode)).toBeUndefined();
    const closed = await gql(w.api.url, DOC.offers, { stages: ['CLOSED'], first: 1 }, token);
    expect(closed.data.offers.edges[0].node).toMatchObject({
      id: open.id,
      referenceCode: r.referenceCode,
      stage: 'CLOSED',
      status: 'ACCEPTED',
      closedReason: 'EXITED',
      exitDestination: 'PERMANENT_HOUSING',
      needs: null,
      // she has left: the shelter reads her identity here no more (nor can list past residents' identities)
      identity: null,
    });
    const auditedAfterExit = await audited();
    await gql(w.api.url, DOC.offer, { id: open.id }, token);
    expect(await audited()).toBe(auditedAfterExit);

    // every change was announced live, in order
    await live.next(4, 5000);
    expect(live.events.map((e) => e.data.offerUpdated)).toEqual(
      ['OPEN', 'AWAITING_ARRIVAL', 'RESIDENT', 'CLOSED'].map((stage) => ({
        offerId: open.id,
        shelterId: w.shelters.a,
        stage,
        status: stage === 'OPEN' ? 'OPEN' : 'ACCEPTED',
        occurredAt: expect.any(String),
      })),
    );
  });

  it('a hold that runs out is a no-show: the next shift finds it closed as NO_SHOW, and the bed free again', async () => {
    await gql(w.api.url, DOC.updateShelter, { id: w.shelters.a, input: { holdMinutes: 5 } }, w.tokens.staffA);
    try {
      const live = watch(await newShift());
      await new Promise((resolve) => setTimeout(resolve, 200));
      const r = await offered(false);
      const token = await newShift();
      const open = (await find(token, r.referenceCode))!;
      await gql(w.api.url, ACCEPT, { id: open.id, i: { accept: true } }, token);
      const arriving = (await find(await newShift(), r.referenceCode))!;
      expect(arriving.stage).toBe('AWAITING_ARRIVAL');
      // five shelter minutes later the worker releases the bed
      const gone = await eventually('the hold to run out', async () => {
        const o = await find(await newShift(), r.referenceCode, ['CLOSED']);
        return o?.id === open.id ? o : undefined;
      });
      expect(gone).toMatchObject({ stage: 'CLOSED', status: 'CANCELLED', closedReason: 'NO_SHOW', needs: null });
      expect(errorCode(await gql(w.api.url, DOC.confirmIntake, { offerId: open.id }, token))).toBe(
        'INVALID_TRANSITION',
      );
      await eventually('the CLOSED update', async () =>
        live.events.some((e) => e.data?.offerUpdated.offerId === open.id && e.data.offerUpdated.stage === 'CLOSED'),
      );
    } finally {
      await gql(w.api.url, DOC.updateShelter, { id: w.shelters.a, input: { holdMinutes: 120 } }, w.tokens.staffA);
    }
  });

  it('what the agency does closes the offer for the shelter: withdrawn while open, consent revoked after acceptance', async () => {
    const live = watch(await newShift());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const first = await offered(false);
    const openOne = (await find(await newShift(), first.referenceCode))!;
    const withdrawn = await gql(
      w.api.url,
      DOC.withdrawReferral,
      { referralId: first.id, reason: 'the survivor found family' },
      w.tokens.advocate,
    );
    expect(withdrawn.data.withdrawReferral.state).toBe('WITHDRAWN');
    expect(await find(await newShift(), first.referenceCode, ['CLOSED'])).toMatchObject({
      id: openOne.id,
      status: 'CANCELLED',
      closedReason: 'WITHDRAWN',
      needs: null,
    });

    const second = await offered(false);
    const token = await newShift();
    const toAccept = (await find(token, second.referenceCode))!;
    await gql(w.api.url, ACCEPT, { id: toAccept.id, i: { accept: true } }, token);
    const consents = await gql(w.api.url, DOC.referral, { id: second.id }, w.tokens.advocate);
    const revoked = await gql(
      w.api.url,
      DOC.revokeConsent,
      { consentId: consents.data.referral.consents[0].id },
      w.tokens.advocate,
    );
    expect(revoked.data.revokeConsent.state).toBe('CONSENT_REVOKED');
    const closed = (await find(await newShift(), second.referenceCode, ['CLOSED']))!;
    expect(closed).toMatchObject({ id: toAccept.id, status: 'ACCEPTED', closedReason: 'CONSENT_REVOKED', needs: null });
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 0 });
    const agency = await gql(w.api.url, ADVOCATE_OFFERS, { id: second.id }, w.tokens.advocate);
    expect(agency.data.referral.offers[0]).toMatchObject({ holdExpiresAt: null, closedReason: 'CONSENT_REVOKED' });

    await eventually('both CLOSED updates', async () => {
      const closedIds = live.events
        .filter((e) => e.data?.offerUpdated.stage === 'CLOSED')
        .map((e) => e.data.offerUpdated.offerId);
      return closedIds.includes(openOne.id) && closedIds.includes(toAccept.id);
    });
  });
});

describe('the offers list in order and in pages', () => {
  let w: World;
  beforeAll(async () => {
    // a shelter "minute" is a minute here (the suite above shortened it in this process's environment)
    w = await createWorld({ WORKFLOW_MINUTE_MS: '60000' });
  });
  afterAll(() => w.close());

  /** An offer at `shelter` of a fresh referral, as the workflow leaves it at each stage. */
  async function offerAt(
    shelter: string,
    stage: 'OPEN' | 'AWAITING_ARRIVAL' | 'RESIDENT' | 'CLOSED',
    at: { respondBy?: number; holdEnds?: number; intakeAt?: number; closedAt?: number },
  ): Promise<string> {
    const state = { OPEN: 'OFFERED', AWAITING_ARRIVAL: 'ACCEPTED', RESIDENT: 'PLACED', CLOSED: 'EXITED' }[stage];
    const { id: referral } = await w.fx.one<{ id: string }>(
      `INSERT INTO referral (reference_code, agency_id, created_by, region_id, state, urgency, needs, match_attempt,
                             closed_at)
       VALUES ('SL-' || substr(md5(random()::text), 1, 9), $1, $2, $3, $4::referral_state, 'TONIGHT', '{}', 1,
               CASE WHEN $4::referral_state = 'EXITED' THEN now() END) RETURNING id`,
      [w.orgs.agency, w.users.advocate, w.regions.countyA, state],
    );
    const pool = (await w.fx.one(`SELECT id FROM bed_pool WHERE shelter_id = $1`, [shelter])).id;
    const { id: hold } = await w.fx.one<{ id: string }>(
      `INSERT INTO bed_hold (referral_id, bed_pool_id, shelter_id, status, expires_at, ended_at)
       VALUES ($1, $2, $3, $4::text, now() + make_interval(secs => $5::float8), CASE WHEN $4::text = 'ACTIVE' THEN NULL
               ELSE now() + make_interval(secs => $6::float8) END) RETURNING id`,
      [
        referral,
        pool,
        shelter,
        stage === 'OPEN' || stage === 'AWAITING_ARRIVAL' ? 'ACTIVE' : 'CONVERTED',
        at.holdEnds ?? at.respondBy ?? 600,
        at.intakeAt ?? 0,
      ],
    );
    const { id } = await w.fx.one<{ id: string }>(
      `INSERT INTO offer (referral_id, shelter_id, bed_hold_id, status, attempt, respond_by, closed_at, closed_reason)
       VALUES ($1, $2, $3, $4, 1, now() + make_interval(secs => $5::float8),
               CASE WHEN $6::float8 IS NOT NULL THEN now() + make_interval(secs => $6::float8) END,
               CASE WHEN $6::float8 IS NOT NULL THEN 'EXITED' END) RETURNING id`,
      [referral, shelter, hold, stage === 'OPEN' ? 'OPEN' : 'ACCEPTED', at.respondBy ?? 600, at.closedAt ?? null],
    );
    return id;
  }

  it('accepted while intake is closed (a planned move at night): "arrive by" runs from when intake opens', async () => {
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const opens = new Date(Date.now() + 135 * 60_000);
    const f = await referralFixture(w, 'OFFERED', {
      offerTo: 'A',
      offerShelter: {
        intakeAlwaysOpen: false,
        intakeDays: [1, 2, 3, 4, 5, 6, 7],
        intakeOpens: hhmm(opens),
        intakeCloses: hhmm(new Date(opens.getTime() + 8 * 3_600_000)),
        timeZone: 'UTC',
      },
    });
    const holdMinutes = (await w.fx.one(`SELECT hold_minutes FROM shelter WHERE id = $1`, [f.shelterId])).hold_minutes;
    const r = await gql(
      w.api.url,
      `mutation($id: ID!) { respondToOffer(offerId: $id, input: { accept: true }) { respondedAt holdExpiresAt } }`,
      { id: f.offerId },
      w.tokens.staffA,
    );
    expect(r.errors).toBeUndefined();
    const minutes =
      (Date.parse(r.data.respondToOffer.holdExpiresAt) - Date.parse(r.data.respondToOffer.respondedAt)) / 60_000;
    // intake opens in 134–135 minutes (whole minutes on the local clock), then the shelter's hold time runs
    expect(minutes).toBeGreaterThan(134 + holdMinutes - 1);
    expect(minutes).toBeLessThanOrEqual(135 + holdMinutes);
  });

  it('open by deadline, arrivals by "arrive by", residents by intake, closed newest first; pages join up', async () => {
    const shelter = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, { name: 'Paged House' });
    await w.fx.pool(shelter, 'SINGLE', 50);
    const expected = [
      await offerAt(shelter, 'OPEN', { respondBy: 60 }),
      await offerAt(shelter, 'OPEN', { respondBy: 300 }),
      await offerAt(shelter, 'AWAITING_ARRIVAL', { holdEnds: 120 }),
      await offerAt(shelter, 'AWAITING_ARRIVAL', { holdEnds: 900 }),
      await offerAt(shelter, 'RESIDENT', { intakeAt: -7200 }),
      await offerAt(shelter, 'RESIDENT', { intakeAt: -60 }),
      await offerAt(shelter, 'CLOSED', { closedAt: -10 }),
      await offerAt(shelter, 'CLOSED', { closedAt: -3600 }),
      await offerAt(shelter, 'CLOSED', { closedAt: -86_400 }),
    ];
    const stages = ['OPEN', 'AWAITING_ARRIVAL', 'RESIDENT', 'CLOSED'];
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r: GqlResult = await gql(
        w.api.url,
        DOC.offers,
        { shelterId: shelter, stages, first: 2, after },
        w.tokens.staffA,
      );
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.offers.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!r.data.offers.pageInfo.hasNextPage) break;
      after = r.data.offers.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    // the default list is what staff act on: no closed offers
    const current = await gql(w.api.url, DOC.offers, { shelterId: shelter, first: 100 }, w.tokens.staffA);
    expect(current.data.offers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expected.slice(0, 6));
    // one offer by id, for the shelter's own staff only
    const one = await gql(w.api.url, DOC.offer, { id: expected[2] }, w.tokens.staffA);
    expect(one.data.offer).toMatchObject({ id: expected[2], stage: 'AWAITING_ARRIVAL' });
    expect(errorCode(await gql(w.api.url, DOC.offer, { id: expected[2] }, w.tokens.staffB))).toBe('NOT_FOUND');
    const theirs = await gql(w.api.url, DOC.offers, { stages, first: 100 }, w.tokens.staffB);
    expect(JSON.stringify(theirs.data)).not.toMatch(new RegExp(expected.join('|')));
  });
});
