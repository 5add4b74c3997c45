import { ChildProcess } from 'node:child_process';
import { RunningApi } from '../support/app';
import { collect, errorCode, gql, wsClient } from '../support/gql';
import {
  checkInvariants,
  consent,
  FAST_TIMERS,
  NEEDS,
  referral,
  startWorker,
  submit,
  waitForState,
} from '../support/referrals';
import { createWorld, World } from '../support/world';

const OFFERS = `query { offers(stages: [OPEN]) {
  edges { node { id referralId referenceCode status respondBy needs { age gender languages urgency } } } } }`;
const openOffers = async (w: World, token: string) =>
  ((await gql(w.api.url, OFFERS, {}, token)).data.offers.edges as { node: any }[]).map((e) => e.node);
const RESPOND = `mutation($id: ID!, $i: RespondToOfferInput!) { respondToOffer(offerId: $id, input: $i) { id status } }`;

describe('referral workflow with the real worker', () => {
  let w: World;
  let worker: RunningApi & { child: ChildProcess };

  beforeAll(async () => {
    w = await createWorld(FAST_TIMERS);
    // shelter A (county A) is nearer the survivor than shelter B; only these two have beds
    worker = await startWorker(w);
  });
  afterEach(() => checkInvariants(w));
  afterAll(async () => {
    await worker.close();
    await w.close();
  });

  it('happy path: submit → consent → offer → accept → intake, with both subscriptions observed', async () => {
    const created = await submit(w, NEEDS, { name: 'Canary Person', phone: '+1 555 0199' });
    expect(created.state).toBe('AWAITING_CONSENT');
    expect(created.referenceCode).toMatch(/^SL-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const agencySocket = wsClient(w.api.url, w.tokens.advocate);
    const staffSocket = wsClient(w.api.url, w.tokens.staffA);
    const updates = collect(
      agencySocket,
      `subscription($id: ID!) { referralUpdated(referralId: $id) { state reasonCode } }`,
      { id: created.id },
    );
    const offersToA = collect(
      staffSocket,
      `subscription($s: ID!) { offerReceived(shelterId: $s) { offerId shelterId } }`,
      {
        s: w.shelters.a,
      },
    );
    await new Promise((r) => setTimeout(r, 300));

    // before consent the shelter sees nothing
    expect(await openOffers(w, w.tokens.staffA)).toEqual([]);
    await consent(w, created.id);
    await waitForState(w, created.id, 'OFFERED');
    const notice = await offersToA.next(1);
    expect(notice.data.offerReceived.shelterId).toBe(w.shelters.a);

    const offers = await openOffers(w, w.tokens.staffA);
    expect(offers).toHaveLength(1);
    expect(offers[0].needs).toEqual({ age: 30, gender: 'WOMAN', languages: ['en'], urgency: 'TONIGHT' });
    expect(JSON.stringify(offers)).not.toContain('Canary');
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 1 });

    const accepted = await gql(
      w.api.url,
      RESPOND,
      { id: offers[0].id, i: { accept: true, intakeInstructions: 'Call 555-0142, ask for Dana' } },
      w.tokens.staffA,
    );
    expect(accepted.data.respondToOffer.status).toBe('ACCEPTED');
    const afterAccept = await referral(w, created.id);
    expect(afterAccept.state).toBe('ACCEPTED');
    expect(afterAccept.offers[0].intakeInstructions).toBe('Call 555-0142, ask for Dana');

    const intake = await gql(
      w.api.url,
      `mutation($id: ID!) { confirmIntake(offerId: $id) { status } }`,
      { id: offers[0].id },
      w.tokens.staffA,
    );
    expect(intake.errors).toBeUndefined();
    expect((await referral(w, created.id)).state).toBe('PLACED');
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 0, occupied: 1 });
    // a second confirmation is refused, and nothing changes
    const twice = await gql(
      w.api.url,
      `mutation($id: ID!) { confirmIntake(offerId: $id) { status } }`,
      { id: offers[0].id },
      w.tokens.staffA,
    );
    expect(errorCode(twice)).toBe('INVALID_TRANSITION');
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 0, occupied: 1 });

    const states = [];
    for (let i = 1; i <= 4; i++) states.push((await updates.next(i)).data.referralUpdated);
    // a code beside each state, for the app to word in its own language
    expect(states).toEqual([
      { state: 'MATCHING', reasonCode: 'CONSENT_RECORDED' },
      { state: 'OFFERED', reasonCode: 'OFFERED' },
      { state: 'ACCEPTED', reasonCode: 'OFFER_ACCEPTED' },
      { state: 'PLACED', reasonCode: 'INTAKE_CONFIRMED' },
    ]);

    const exit = await gql(
      w.api.url,
      `mutation($id: ID!) { recordExit(offerId: $id, destination: TRANSITIONAL_PROGRAMME) { status } }`,
      { id: offers[0].id },
      w.tokens.staffA,
    );
    expect(exit.errors).toBeUndefined();
    const exited = await referral(w, created.id);
    expect(exited.state).toBe('EXITED');
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 0, occupied: 0 });
    // every event: its code, and the English beside it as before
    expect(exited.events).toEqual([
      { fromState: 'SUBMITTED', toState: 'AWAITING_CONSENT', reasonCode: 'SUBMITTED', reason: 'submitted' },
      {
        fromState: 'AWAITING_CONSENT',
        toState: 'MATCHING',
        reasonCode: 'CONSENT_RECORDED',
        reason: 'consent to share needs',
      },
      { fromState: 'MATCHING', toState: 'OFFERED', reasonCode: 'OFFERED', reason: 'bed held and offered' },
      { fromState: 'OFFERED', toState: 'ACCEPTED', reasonCode: 'OFFER_ACCEPTED', reason: 'offer accepted' },
      { fromState: 'ACCEPTED', toState: 'PLACED', reasonCode: 'INTAKE_CONFIRMED', reason: 'intake confirmed' },
      {
        fromState: 'PLACED',
        toState: 'EXITED',
        reasonCode: 'EXITED',
        reason: 'exit: TRANSITIONAL_PROGRAMME',
      },
    ]);
    updates.dispose();
    offersToA.dispose();
    await agencySocket.dispose();
    await staffSocket.dispose();
  });

  it('decline → the next candidate; a response timeout → the next candidate again; then the waitlist, with an alert', async () => {
    const coordinatorSocket = wsClient(w.api.url, w.tokens.coordinator);
    const alerts = collect(
      coordinatorSocket,
      `subscription($r: ID!) { waitlistAlert(regionId: $r) { regionId urgency exclusions { reason shelters } } }`,
      { r: w.regions.countyA },
    );
    const r = await submit(w);
    await consent(w, r.id);
    await waitForState(w, r.id, 'OFFERED');
    const [offer] = await openOffers(w, w.tokens.staffA);
    const declined = await gql(
      w.api.url,
      RESPOND,
      { id: offer.id, i: { accept: false, declineReason: 'STAFFING' } },
      w.tokens.staffA,
    );
    expect(declined.data.respondToOffer.status).toBe('DECLINED');
    const next = await waitForState(w, r.id, 'OFFERED');
    expect(next.offers.map((o: any) => [o.shelterId, o.status])).toEqual([
      [w.shelters.a, 'DECLINED'],
      [w.shelters.b, 'OPEN'],
    ]);
    // shelter B lets its response time pass (30 "minutes" of 300 ms): released, and no shelter is left
    const after = await waitForState(w, r.id, 'WAITLISTED', 20_000);
    expect(after.offers.map((o: any) => o.status)).toEqual(['DECLINED', 'TIMED_OUT']);
    expect(await w.fx.poolRow(w.pools.b)).toMatchObject({ held: 0 });
    const alert = (await alerts.next(1)).data.waitlistAlert;
    expect(alert).toMatchObject({ regionId: w.regions.countyA, urgency: 'TONIGHT' });
    alerts.dispose();
    await coordinatorSocket.dispose();
    await gql(
      w.api.url,
      `mutation($id: ID!) { withdrawReferral(referralId: $id) { state } }`,
      { id: r.id },
      w.tokens.advocate,
    );
    const codes = (await referral(w, r.id)).events.map((e: { reasonCode: string }) => e.reasonCode);
    expect(codes).toEqual([
      'SUBMITTED',
      'CONSENT_RECORDED',
      'OFFERED',
      'OFFER_DECLINED',
      'OFFERED',
      'OFFER_TIMED_OUT',
      'WAITLISTED',
      'WITHDRAWN',
    ]);
    const events = (await referral(w, r.id)).events;
    expect(events[3]).toMatchObject({ fromState: 'OFFERED', toState: 'MATCHING', reason: 'declined: STAFFING' });
  });
});
