import { Queue } from 'bullmq';
import { gql } from '../support/gql';
import { referralFixture } from '../support/operations';
import { consent, NEEDS, referral, submit, waitForState } from '../support/referrals';
import { createWorld, World } from '../support/world';
import {
  accept,
  decline,
  eventually,
  jobId,
  expectCode,
  offerMutation,
  openOffer,
  recordExit,
  referralsQueue,
  setPool,
  settled,
  sleep,
  startReadyWorker,
  waitForDbState,
  Worker,
  WORKFLOW_ENV,
  cleanUpAfterTest,
  shutDown,
} from './harness';

/**
 * The workflow's timers and wake-ups with the real worker: hold expiry (no-show), waitlist → capacity → offer,
 * the consent window, and the sweeper standing in for a lost delayed job. A shelter "minute" is 300 ms here.
 */
describe('referral workflow timers', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;

  const pool = (id: string) => w.fx.poolRow(id);
  const upsertBedPool = (shelterId: string, capacity: number, token: string) =>
    gql(
      w.api.url,
      `mutation($i: UpsertBedPoolInput!) { upsertBedPool(input: $i) { id capacity available } }`,
      { i: { shelterId, bedType: 'SINGLE', capacity, reason: 'beds added' } },
      token,
    );
  const adjustBeds = (poolId: string, occupiedDelta: number, token: string) =>
    gql(
      w.api.url,
      `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id available } }`,
      { i: { poolId, occupiedDelta, reason: 'a resident left' } },
      token,
    );
  const submitAndConsent = async (needs: Record<string, unknown> = NEEDS) => {
    const r = await submit(w, needs);
    await consent(w, r.id);
    return r;
  };

  beforeAll(async () => {
    w = await createWorld({ ...WORKFLOW_ENV, MATCHING_STUCK_SECONDS: '2' });
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue);
  });
  beforeEach(async () => {
    // long enough that no offer or hold runs out unless a test shortens it
    await w.fx.pg.query(`UPDATE shelter SET response_minutes = 600, hold_minutes = 600, status = 'ACTIVE'`);
    await setPool(w, w.pools.a, { capacity: 10 });
    await setPool(w, w.pools.b, { capacity: 10 });
  });
  afterEach(async () => {
    await cleanUpAfterTest(w, queue);
  });
  afterAll(() => shutDown(w, queue, worker));

  it('hold expiry: an accepted bed nobody arrives for is released (no-show) and the referral is offered again', async () => {
    await w.fx.pg.query(`UPDATE shelter SET hold_minutes = 5 WHERE id = $1`, [w.shelters.a]); // 1.5 s
    const r = await submitAndConsent();
    await waitForState(w, r.id, 'OFFERED');
    const first = (await openOffer(w, r.id))!;
    expect(first.shelter_id).toBe(w.shelters.a);
    expect((await accept(w, w.tokens.staffA, first.id)).errors).toBeUndefined();
    expect(await pool(w.pools.a)).toMatchObject({ held: 1, available: 9 });
    // shelter A stops taking intakes, so the next offer is visibly somewhere else
    await w.fx.pg.query(`UPDATE shelter SET status = 'PAUSED' WHERE id = $1`, [w.shelters.a]);

    const second = await eventually('a new offer after the no-show', () => openOffer(w, r.id), 10_000);
    expect(second.shelter_id).toBe(w.shelters.b);
    expect(second.attempt).toBeGreaterThan(first.attempt);
    expect(await pool(w.pools.a)).toMatchObject({ held: 0, available: 10, occupied: 0 });
    expect(await pool(w.pools.b)).toMatchObject({ held: 1, available: 9 });
    const hold = await w.fx.one(`SELECT status, end_reason FROM bed_hold WHERE id = $1`, [first.bed_hold_id]);
    expect(hold).toEqual({ status: 'RELEASED', end_reason: expect.stringMatching(/no-show/) });
    // the no-show offer is over: it no longer stands as the referral's accepted offer
    expect((await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [first.id])).status).not.toBe('ACCEPTED');

    const now = await referral(w, r.id);
    expect(now.state).toBe('OFFERED');
    expect(now.events.map((e: any) => `${e.fromState}>${e.toState}`)).toEqual([
      'SUBMITTED>AWAITING_CONSENT',
      'AWAITING_CONSENT>MATCHING',
      'MATCHING>OFFERED',
      'OFFERED>ACCEPTED',
      'ACCEPTED>MATCHING',
      'MATCHING>OFFERED',
    ]);
    expect(now.events[4].reason).toMatch(/no-show/);
    expect(now.events[4].reasonCode).toBe('HOLD_EXPIRED');
  });

  it('recordNoShow by the shelter: the hold is released at once and matching resumes', async () => {
    const r = await submitAndConsent();
    await waitForState(w, r.id, 'OFFERED');
    const first = (await openOffer(w, r.id))!;
    expect((await accept(w, w.tokens.staffA, first.id)).errors).toBeUndefined();
    await w.fx.pg.query(`UPDATE shelter SET status = 'PAUSED' WHERE id = $1`, [w.shelters.a]);

    const noShow = await offerMutation(w, w.tokens.staffA, 'recordNoShow', first.id);
    expect(noShow.errors).toBeUndefined();
    // released in the same transaction as the no-show, before any job runs
    expect(await pool(w.pools.a)).toMatchObject({ held: 0, available: 10 });
    expect(await w.fx.one(`SELECT status FROM bed_hold WHERE id = $1`, [first.bed_hold_id])).toEqual({
      status: 'RELEASED',
    });
    expect((await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [first.id])).status).not.toBe('ACCEPTED');
    const second = await eventually('a new offer after the no-show', () => openOffer(w, r.id));
    expect(second.shelter_id).toBe(w.shelters.b);
    // the same no-show cannot be recorded twice
    expectCode(await offerMutation(w, w.tokens.staffA, 'recordNoShow', first.id), 'INVALID_TRANSITION');
    expect(await pool(w.pools.b)).toMatchObject({ held: 1 });
    expect((await referral(w, r.id)).state).toBe('OFFERED');
  });

  it('an offer that ended in a no-show is closed: its shelter cannot touch the later placement elsewhere', async () => {
    await setPool(w, w.pools.a, { capacity: 10, occupied: 3 });
    const r = await submitAndConsent();
    await waitForState(w, r.id, 'OFFERED');
    const atA = (await openOffer(w, r.id))!;
    expect((await accept(w, w.tokens.staffA, atA.id)).errors).toBeUndefined();
    await w.fx.pg.query(`UPDATE shelter SET status = 'PAUSED' WHERE id = $1`, [w.shelters.a]);
    expect((await offerMutation(w, w.tokens.staffA, 'recordNoShow', atA.id)).errors).toBeUndefined();
    const atB = await eventually('the offer at shelter B', () => openOffer(w, r.id));
    expect((await accept(w, w.tokens.staffB, atB.id)).errors).toBeUndefined();

    // shelter A's old offer must not release shelter B's hold
    expectCode(await offerMutation(w, w.tokens.staffA, 'recordNoShow', atA.id), 'INVALID_TRANSITION');
    expect((await referral(w, r.id)).state).toBe('ACCEPTED');
    expect(await w.fx.one(`SELECT status FROM bed_hold WHERE id = $1`, [atB.bed_hold_id])).toEqual({
      status: 'ACTIVE',
    });
    expect(await pool(w.pools.b)).toMatchObject({ held: 1 });

    expect((await offerMutation(w, w.tokens.staffB, 'confirmIntake', atB.id)).errors).toBeUndefined();
    // nor record an exit for a resident it never had (freeing one of its own beds and closing the placement)
    expectCode(await recordExit(w, w.tokens.staffA, atA.id), 'INVALID_TRANSITION');
    expect((await referral(w, r.id)).state).toBe('PLACED');
    expect(await pool(w.pools.a)).toMatchObject({ occupied: 3, held: 0 });
    expect(await pool(w.pools.b)).toMatchObject({ occupied: 1, held: 0 });
  });

  it('no candidate → WAITLISTED; staff add beds (upsertBedPool, adjustBeds) → OFFERED with no call by the advocate', async () => {
    await setPool(w, w.pools.a, { capacity: 10, occupied: 10 });
    await setPool(w, w.pools.b, { capacity: 10, occupied: 10 });
    const first = await submitAndConsent();
    await waitForState(w, first.id, 'WAITLISTED');
    expect(await w.fx.count('bed_hold', 'referral_id = $1', [first.id])).toBe(0);

    expect((await upsertBedPool(w.shelters.b, 11, w.tokens.staffB)).errors).toBeUndefined();
    await waitForDbState(w, first.id, 'OFFERED');
    expect((await openOffer(w, first.id))!.shelter_id).toBe(w.shelters.b);
    expect(await pool(w.pools.b)).toMatchObject({ capacity: 11, held: 1, available: 0 });

    const second = await submitAndConsent();
    await waitForState(w, second.id, 'WAITLISTED');
    expect((await adjustBeds(w.pools.a, -1, w.tokens.staffA)).errors).toBeUndefined();
    await waitForDbState(w, second.id, 'OFFERED');
    expect((await openOffer(w, second.id))!.shelter_id).toBe(w.shelters.a);
    expect(await pool(w.pools.a)).toMatchObject({ occupied: 9, held: 1, available: 0 });
    const events = (await referral(w, second.id)).events.map((e: any) => e.toState);
    expect(events).toEqual(['AWAITING_CONSENT', 'MATCHING', 'WAITLISTED', 'MATCHING', 'OFFERED']);
  });

  it('a bed freed while the referral is being waitlisted (no wake-up reaches it) is still found at once', async () => {
    await setPool(w, w.pools.a, { capacity: 10, occupied: 10 });
    await setPool(w, w.pools.b, { capacity: 10, occupied: 10 });
    // frees a bed at shelter A inside the very transaction that waitlists the referral, as a resident leaving at
    // that moment would, and without the capacity check a change through the API triggers
    await w.fx.pg.query(`
      CREATE FUNCTION test_free_bed_on_waitlist() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE bed_pool SET occupied = occupied - 1 WHERE id = '${w.pools.a}' AND occupied > 0;
        RETURN NEW;
      END $$`);
    await w.fx.pg.query(`
      CREATE TRIGGER test_free_bed_on_waitlist AFTER UPDATE OF state ON referral
      FOR EACH ROW WHEN (NEW.state = 'WAITLISTED') EXECUTE FUNCTION test_free_bed_on_waitlist()`);
    try {
      const r = await submitAndConsent();
      await waitForDbState(w, r.id, 'OFFERED');
      expect((await openOffer(w, r.id))!.shelter_id).toBe(w.shelters.a);
      const events = (await referral(w, r.id)).events.map((e: any) => e.toState);
      expect(events).toEqual(['AWAITING_CONSENT', 'MATCHING', 'WAITLISTED', 'MATCHING', 'OFFERED']);
    } finally {
      await w.fx.pg.query(`DROP TRIGGER test_free_bed_on_waitlist ON referral`);
      await w.fx.pg.query(`DROP FUNCTION test_free_bed_on_waitlist`);
    }
  });

  it('beds that appear for several waitlisted referrals go to the most urgent, then the oldest', async () => {
    await setPool(w, w.pools.a, { capacity: 10, occupied: 10 });
    await setPool(w, w.pools.b, { capacity: 10, occupied: 10 });
    const planned = await submitAndConsent({ ...NEEDS, urgency: 'PLANNED' });
    const within72 = await submitAndConsent({ ...NEEDS, urgency: 'WITHIN_72_HOURS' });
    const tonightOld = await submitAndConsent({ ...NEEDS, urgency: 'TONIGHT' });
    const tonightNew = await submitAndConsent({ ...NEEDS, urgency: 'TONIGHT' });
    const all = [planned, within72, tonightOld, tonightNew];
    for (const r of all) await waitForDbState(w, r.id, 'WAITLISTED');
    await settled(queue);

    const state = async () =>
      Promise.all(all.map(async (r) => (await w.fx.one(`SELECT state FROM referral WHERE id = $1`, [r.id])).state));
    // one bed: the older of the two TONIGHT referrals
    expect((await adjustBeds(w.pools.a, -1, w.tokens.staffA)).errors).toBeUndefined();
    await waitForDbState(w, tonightOld.id, 'OFFERED');
    await settled(queue);
    expect(await state()).toEqual(['WAITLISTED', 'WAITLISTED', 'OFFERED', 'WAITLISTED']);
    // two beds: the other TONIGHT referral, then WITHIN_72_HOURS before PLANNED
    expect((await adjustBeds(w.pools.b, -2, w.tokens.staffB)).errors).toBeUndefined();
    await waitForDbState(w, within72.id, 'OFFERED');
    await waitForDbState(w, tonightNew.id, 'OFFERED');
    await settled(queue);
    expect(await state()).toEqual(['WAITLISTED', 'OFFERED', 'OFFERED', 'OFFERED']);
    expect(await pool(w.pools.a)).toMatchObject({ held: 1, available: 0 });
    expect(await pool(w.pools.b)).toMatchObject({ held: 2, available: 0 });
  });

  it('a freed bed goes to a waitlisted referral that can take it, not to one that already declined that shelter', async () => {
    await setPool(w, w.pools.a, { capacity: 10, occupied: 9 });
    await setPool(w, w.pools.b, { capacity: 10, occupied: 10 });
    const declinedHere = await submitAndConsent({ ...NEEDS, urgency: 'TONIGHT' });
    await waitForState(w, declinedHere.id, 'OFFERED');
    expect((await decline(w, w.tokens.staffA, (await openOffer(w, declinedHere.id))!.id)).errors).toBeUndefined();
    await waitForDbState(w, declinedHere.id, 'WAITLISTED');
    await settled(queue);
    // shelter A's free bed is taken by a walk-in; a second survivor is waitlisted
    expect((await adjustBeds(w.pools.a, 1, w.tokens.staffA)).errors).toBeUndefined();
    const other = await submitAndConsent({ ...NEEDS, urgency: 'PLANNED' });
    await waitForDbState(w, other.id, 'WAITLISTED');
    await settled(queue);

    // the walk-in leaves: the bed fits only the second referral (the first declined shelter A)
    expect((await adjustBeds(w.pools.a, -1, w.tokens.staffA)).errors).toBeUndefined();
    await settled(queue);
    await waitForDbState(w, other.id, 'OFFERED', 4_000);
    expect((await openOffer(w, other.id))!.shelter_id).toBe(w.shelters.a);
    expect((await w.fx.one(`SELECT state FROM referral WHERE id = $1`, [declinedHere.id])).state).toBe('WAITLISTED');
  });

  it('a consent to share needs that lapses before a shelter accepts stops the workflow: offer cancelled, bed freed', async () => {
    await setPool(w, w.pools.b, { capacity: 10, occupied: 10 });
    await setPool(w, w.pools.a, { capacity: 1 });
    const lapsing = { expiresAt: new Date(Date.now() + 2_500).toISOString() };
    const offered = await submit(w);
    await consent(w, offered.id, lapsing);
    await waitForDbState(w, offered.id, 'OFFERED');
    const offer = (await openOffer(w, offered.id))!;
    const waitlisted = await submit(w);
    await consent(w, waitlisted.id, lapsing);
    await waitForDbState(w, waitlisted.id, 'WAITLISTED');
    expect(await pool(w.pools.a)).toMatchObject({ held: 1, available: 0 });

    await waitForDbState(w, offered.id, 'EXPIRED', 10_000);
    await waitForDbState(w, waitlisted.id, 'EXPIRED', 10_000);
    expect(await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [offer.id])).toEqual({ status: 'CANCELLED' });
    expect(await w.fx.one(`SELECT status FROM bed_hold WHERE id = $1`, [offer.bed_hold_id])).toEqual({
      status: 'RELEASED',
    });
    expect(await pool(w.pools.a)).toMatchObject({ held: 0, available: 1 });
    for (const id of [offered.id, waitlisted.id]) {
      const last = (await referral(w, id)).events.at(-1);
      expect(last).toMatchObject({
        toState: 'EXPIRED',
        reasonCode: 'CONSENT_LAPSED',
        reason: 'the consent to share needs lapsed',
      });
    }
    // the shelter's answer comes too late
    expectCode(await accept(w, w.tokens.staffA, offer.id), 'INVALID_TRANSITION');
  });

  it('consent window: no consent within CONSENT_WINDOW_SECONDS → EXPIRED, and a late consent is refused', async () => {
    const r = await submit(w);
    await sleep(1_000);
    expect((await referral(w, r.id)).state).toBe('AWAITING_CONSENT');
    const expired = await waitForState(w, r.id, 'EXPIRED', 8_000);
    expect(expired.events.map((e: any) => e.toState)).toEqual(['AWAITING_CONSENT', 'EXPIRED']);
    await expect(consent(w, r.id)).rejects.toThrow(/INVALID_TRANSITION/);
    expect((await referral(w, r.id)).state).toBe('EXPIRED');
    expect(await w.fx.count('offer', 'referral_id = $1', [r.id])).toBe(0);
  });

  it('every timer is a delayed BullMQ job relayed from the outbox: consent window, response time, hold expiry', async () => {
    const jobState = async (id: string) => (await queue.getJob(id))?.getState() ?? 'missing';
    const r = await submit(w);
    expect(await jobState(jobId('referral.consent-expiry', { referralId: r.id }))).toBe('delayed');
    await consent(w, r.id);
    await waitForDbState(w, r.id, 'OFFERED');
    const offer = (await openOffer(w, r.id))!;
    expect(await jobState(jobId('offer.response-timeout', { offerId: offer.id }))).toBe('delayed');
    expect((await accept(w, w.tokens.staffA, offer.id)).errors).toBeUndefined();
    expect(await jobState(jobId('hold.expiry', { holdId: offer.bed_hold_id }))).toBe('delayed');
    // and the relay leaves nothing behind in the outbox
    await eventually(
      'the outbox to be relayed',
      async () => (await w.fx.count('outbox', 'relayed_at IS NULL')) === 0,
      3_000,
    );
  });

  it('a lost delayed job: the sweeper still times the offer out, and still ends a hold nobody arrived for', async () => {
    await w.fx.pg.query(`UPDATE shelter SET response_minutes = 5, hold_minutes = 5`); // 1.5 s each
    const r = await submitAndConsent();
    await waitForDbState(w, r.id, 'OFFERED');
    const atA = (await openOffer(w, r.id))!;
    // Redis loses the response timer of the offer (that it was there is the test above)
    await queue.remove(jobId('offer.response-timeout', { offerId: atA.id }));
    expect(await queue.getJob(jobId('offer.response-timeout', { offerId: atA.id }))).toBeUndefined();

    const atB = await eventually(
      'the next offer after the sweeper timed out A',
      async () => {
        const next = await openOffer(w, r.id);
        return next && next.id !== atA.id ? next : undefined;
      },
      10_000,
    );
    expect(atB.shelter_id).toBe(w.shelters.b);
    expect(await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [atA.id])).toEqual({ status: 'TIMED_OUT' });
    expect(await pool(w.pools.a)).toMatchObject({ held: 0 });

    // accepted at B, and the hold-expiry timer is lost too
    expect((await accept(w, w.tokens.staffB, atB.id)).errors).toBeUndefined();
    await queue.remove(jobId('hold.expiry', { holdId: atB.bed_hold_id }));
    expect(await queue.getJob(jobId('hold.expiry', { holdId: atB.bed_hold_id }))).toBeUndefined();
    await eventually(
      'the sweeper to end the expired hold',
      async () =>
        (await w.fx.one(`SELECT status FROM bed_hold WHERE id = $1`, [atB.bed_hold_id])).status === 'RELEASED',
      10_000,
    );
    const events = (await referral(w, r.id)).events;
    expect(events.some((e: any) => e.fromState === 'ACCEPTED' && e.toState === 'MATCHING')).toBe(true);
  });

  it('a match job that cannot run (failed for good in an outage, kept by BullMQ): the sweeper matches the referral itself', async () => {
    // a consented referral in MATCHING, untouched for a minute, whose job exists but will never run (a failed job is
    // kept for 7 days, so enqueueing its id again does nothing; here it is parked far in the future)
    const r = await referralFixture(w, 'MATCHING');
    await w.fx.pg.query(`UPDATE referral SET updated_at = now() - interval '1 minute' WHERE id = $1`, [r.id]);
    const parked = jobId('referral.match', { referralId: r.id, attempt: 1 });
    await queue.add('referral.match', { referralId: r.id, attempt: 1 }, { jobId: parked, delay: 3_600_000 });
    await waitForDbState(w, r.id, 'OFFERED');
    expect(await w.fx.count('offer', `referral_id = $1 AND status = 'OPEN'`, [r.id])).toBe(1);
    expect(await queue.getJobState(parked)).toBe('delayed');
  });
});
