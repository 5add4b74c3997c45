import { Queue } from 'bullmq';
import { Client } from 'pg';
import { gql } from '../support/gql';
import { checkInvariants, consent, referral, submit, waitForState } from '../support/referrals';
import { createWorld, World } from '../support/world';
import {
  accept,
  eventually,
  expectCode,
  jobFinished,
  jobId,
  offerMutation,
  offersFor,
  openOffer,
  recordExit,
  referralsQueue,
  setPool,
  settled,
  startReadyWorker,
  statesOf,
  waitForDbState,
  withdraw,
  Worker,
  WORKFLOW_ENV,
  cleanUpAfterTest,
  shutDown,
  waitUntilMatched,
} from './harness';

/**
 * Concurrency and idempotency with the real worker: many referrals racing for few beds, the same job delivered
 * twice, withdrawal from every open state, and refused transitions that must change nothing.
 */
describe('referral races, duplicate jobs and guarded transitions', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;

  const pool = (id: string) => w.fx.poolRow(id);
  const submitAndConsent = async () => {
    const r = await submit(w);
    await consent(w, r.id);
    return r;
  };
  /** What a duplicate job could have changed: referral rows, events, offers, holds and pools. */
  const snapshot = async () =>
    (
      await w.fx.pg.query(
        `SELECT (SELECT json_agg(json_build_object('id', id, 'state', state, 'attempt', match_attempt) ORDER BY id)
                   FROM referral) AS referrals,
                (SELECT count(*) FROM referral_event) AS events,
                (SELECT json_agg(json_build_object('id', id, 'status', status) ORDER BY id) FROM offer) AS offers,
                (SELECT json_agg(json_build_object('id', id, 'status', status, 'expires', expires_at) ORDER BY id)
                   FROM bed_hold) AS holds,
                (SELECT json_agg(json_build_object('id', id, 'held', held, 'occupied', occupied, 'version', version)
                                 ORDER BY id) FROM bed_pool) AS pools`,
      )
    ).rows[0];

  beforeAll(async () => {
    // a consent window long enough for many submissions under load (the window itself is tested in timers)
    w = await createWorld({ ...WORKFLOW_ENV, CONSENT_WINDOW_SECONDS: '120' });
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue);
  });
  beforeEach(async () => {
    await w.fx.pg.query(`UPDATE shelter SET response_minutes = 600, hold_minutes = 600, status = 'ACTIVE'`);
    await setPool(w, w.pools.a, { capacity: 10 });
    await setPool(w, w.pools.b, { capacity: 10 });
  });
  afterEach(async () => {
    await queue.resume();
    await cleanUpAfterTest(w, queue);
  });
  afterAll(() => shutDown(w, queue, worker));

  it('50 referrals racing for the 3 free beds of the network: exactly 3 holds and offers, 47 waitlisted', async () => {
    await setPool(w, w.pools.a, { capacity: 10, occupied: 8 });
    await setPool(w, w.pools.b, { capacity: 10, occupied: 9 });
    const created = await Promise.all(Array.from({ length: 50 }, () => submit(w)));
    const ids = created.map((r) => r.id);
    await Promise.all(ids.map((id) => consent(w, id)));

    await waitUntilMatched(w, ids, 25_000);
    await settled(queue);
    expect(await statesOf(w, ids)).toEqual({ OFFERED: 3, WAITLISTED: 47 });
    expect(await w.fx.count('bed_hold', `status = 'ACTIVE'`)).toBe(3);
    expect(await w.fx.count('bed_hold', 'true')).toBe(3);
    expect(await w.fx.count('offer', `status = 'OPEN'`)).toBe(3);
    expect(await w.fx.count('offer', 'true')).toBe(3);
    // the three offers are to three different referrals, each the one its hold is for
    const offered = await w.fx.pg.query(
      `SELECT o.referral_id FROM offer o JOIN bed_hold h ON h.id = o.bed_hold_id AND h.referral_id = o.referral_id
        JOIN referral r ON r.id = o.referral_id AND r.state = 'OFFERED'`,
    );
    expect(new Set(offered.rows.map((r) => r.referral_id)).size).toBe(3);
    expect(await pool(w.pools.a)).toMatchObject({ capacity: 10, occupied: 8, held: 2, available: 0 });
    expect(await pool(w.pools.b)).toMatchObject({ capacity: 10, occupied: 9, held: 1, available: 0 });
    expect(await w.fx.count('capacity_event', `kind = 'HOLD'`)).toBe(3);
    await checkInvariants(w);
  });

  it('a bed freed while a referral is being matched is not missed: the referral is offered it', async () => {
    await setPool(w, w.pools.a, { capacity: 10, occupied: 10 });
    await setPool(w, w.pools.b, { capacity: 10, occupied: 10 });
    await queue.pause();
    const r = await submitAndConsent();
    // the match step has searched (no free bed) and is about to commit WAITLISTED when a bed frees up: the test
    // holds the referral's row so the step waits right there
    const blocker = new Client({ connectionString: w.env.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT id FROM referral WHERE id = $1 FOR UPDATE`, [r.id]);
      await queue.resume();
      await eventually('the match step to wait for the referral lock', async () =>
        (await w.fx.count('pg_stat_activity', `datname = current_database() AND wait_event_type = 'Lock'`)) === 1
          ? true
          : undefined,
      );
      const freed = await gql(
        w.api.url,
        `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { available version } }`,
        { i: { poolId: w.pools.a, occupiedDelta: -1, reason: 'a resident left' } },
        w.tokens.staffA,
      );
      expect(freed.data.adjustBeds.available).toBe(1);
      // let the wake-up for the freed bed run (or, should it wait for the referral's lock, give it the time to)
      const wakeUp = jobId('waitlist.capacity-changed', { poolId: w.pools.a, version: freed.data.adjustBeds.version });
      await jobFinished(queue, wakeUp, 2_000).catch(() => undefined);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    // a TONIGHT referral must not sit on the waitlist while a bed that fits it is free
    await waitForDbState(w, r.id, 'OFFERED', 4_000);
    expect(await pool(w.pools.a)).toMatchObject({ held: 1, available: 0 });
  });

  it('the same match job delivered several times (BullMQ duplicates and duplicate outbox rows): one hold, one offer', async () => {
    await queue.pause();
    const r = await submitAndConsent();
    const matchJob = jobId('referral.match', { referralId: r.id, attempt: 1 });
    expect(await queue.getJob(matchJob)).toBeDefined();
    // three more deliveries of the same step under other job ids (BullMQ would dedupe the same id)...
    const dups = ['a', 'b', 'c'].map((n) => `duplicate-match-${n}-${r.id}`);
    for (const id of dups) await queue.add('referral.match', { referralId: r.id, attempt: 1 }, { jobId: id });
    // ...and the outbox row written twice more, as a relay that crashed before marking it would leave it
    await w.fx.pg.query(
      `INSERT INTO outbox (job_name, job_id, payload)
       SELECT job_name, job_id, payload FROM outbox, generate_series(1, 2) WHERE job_id = $1`,
      [matchJob],
    );
    const before = await pool(w.pools.a);
    await queue.resume();

    await waitForDbState(w, r.id, 'OFFERED');
    const results = await Promise.all([matchJob, ...dups].map((id) => jobFinished(queue, id)));
    expect(results).toEqual(['completed', 'completed', 'completed', 'completed']);
    await settled(queue);
    const returned = await Promise.all([matchJob, ...dups].map(async (id) => (await queue.getJob(id))!.returnvalue));
    expect(returned.sort()).toEqual(['offered', 'stale', 'stale', 'stale']);
    expect(await w.fx.count('bed_hold', 'referral_id = $1', [r.id])).toBe(1);
    expect(await w.fx.count('offer', 'referral_id = $1', [r.id])).toBe(1);
    expect(await w.fx.count('referral_event', `referral_id = $1 AND to_state = 'OFFERED'`, [r.id])).toBe(1);
    const after = await pool(w.pools.a);
    const held = after.held + (await pool(w.pools.b)).held;
    expect(held).toBe(1);
    expect(after.version - before.version).toBe(after.held - before.held);
  });

  it('a step run twice for an already timed-out offer, and timers that fire early, change nothing', async () => {
    const r = await submitAndConsent();
    await waitForDbState(w, r.id, 'OFFERED');
    const first = (await openOffer(w, r.id))!;
    // the shelter's response time passes
    await w.fx.pg.query(`UPDATE offer SET respond_by = now() - interval '1 second' WHERE id = $1`, [first.id]);
    const second = await eventually('the next offer', async () => {
      const next = await openOffer(w, r.id);
      return next && next.id !== first.id ? next : undefined;
    });
    expect(second.shelter_id).toBe(w.shelters.b);
    await settled(queue);
    const before = await snapshot();

    // the timed-out offer's timer delivered twice more; the open offer's and a hold's timers before their time
    const extra = [
      ['offer.response-timeout', { offerId: first.id }, 'again-1'],
      ['offer.response-timeout', { offerId: first.id }, 'again-2'],
      ['offer.response-timeout', { offerId: second.id }, 'early'],
      ['hold.expiry', { holdId: second.bed_hold_id }, 'early'],
      ['referral.match', { referralId: r.id, attempt: first.attempt }, 'old-attempt'],
      ['referral.match', { referralId: r.id, attempt: second.attempt }, 'current-attempt'],
    ] as const;
    const ids = extra.map(([name, , tag], i) => `${name.replace('.', '-')}-${tag}-${i}`);
    await Promise.all(extra.map(([name, data], i) => queue.add(name, data, { jobId: ids[i] })));
    for (const id of ids) expect(await jobFinished(queue, id)).toBe('completed');
    await settled(queue);
    expect(await snapshot()).toEqual(before);
    expect((await referral(w, r.id)).offers.map((o: any) => o.status)).toEqual(['TIMED_OUT', 'OPEN']);

    // and once accepted, a second hold expiry before its time does nothing either
    expect((await accept(w, w.tokens.staffB, second.id)).errors).toBeUndefined();
    const accepted = await snapshot();
    await queue.add('hold.expiry', { holdId: second.bed_hold_id }, { jobId: `hold-expiry-early-${second.id}` });
    expect(await jobFinished(queue, `hold-expiry-early-${second.id}`)).toBe('completed');
    expect(await snapshot()).toEqual(accepted);
  });

  it('withdrawal from each open state stops the workflow and releases any hold', async () => {
    const expectWithdrawn = async (id: string) => {
      const result = await withdraw(w, id);
      expect(result.errors).toBeUndefined();
      expect(result.data.withdrawReferral.state).toBe('WITHDRAWN');
      expect(await w.fx.count('bed_hold', `referral_id = $1 AND status = 'ACTIVE'`, [id])).toBe(0);
      expect(await w.fx.count('offer', `referral_id = $1 AND status = 'OPEN'`, [id])).toBe(0);
    };

    // AWAITING_CONSENT: and a later consent is refused
    const awaiting = await submit(w);
    await expectWithdrawn(awaiting.id);
    await expect(consent(w, awaiting.id)).rejects.toThrow(/INVALID_TRANSITION/);

    // MATCHING: the match job, when it runs, finds the referral withdrawn
    await queue.pause();
    const matching = await submitAndConsent();
    expect((await referral(w, matching.id)).state).toBe('MATCHING');
    await expectWithdrawn(matching.id);
    await queue.resume();
    const matchJob = jobId('referral.match', { referralId: matching.id, attempt: 1 });
    expect(await jobFinished(queue, matchJob)).toBe('completed');
    expect((await queue.getJob(matchJob))!.returnvalue).toBe('stale');

    // OFFERED: the offer is cancelled and leaves the shelter's list
    const offered = await submitAndConsent();
    await waitForDbState(w, offered.id, 'OFFERED');
    const offer = (await openOffer(w, offered.id))!;
    expect(await pool(w.pools.a)).toMatchObject({ held: 1 });
    await expectWithdrawn(offered.id);
    expect(await pool(w.pools.a)).toMatchObject({ held: 0, available: 10 });
    expect(await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [offer.id])).toEqual({ status: 'CANCELLED' });
    expect((await offersFor(w, w.tokens.staffA)).map((o) => o.referralId)).not.toContain(offered.id);

    // ACCEPTED
    const acceptedRef = await submitAndConsent();
    await waitForDbState(w, acceptedRef.id, 'OFFERED');
    const acceptedOffer = (await openOffer(w, acceptedRef.id))!;
    expect((await accept(w, w.tokens.staffA, acceptedOffer.id)).errors).toBeUndefined();
    expect(await pool(w.pools.a)).toMatchObject({ held: 1 });
    await expectWithdrawn(acceptedRef.id);
    expect(await pool(w.pools.a)).toMatchObject({ held: 0, available: 10 });
    expect(
      await w.fx.one(`SELECT status, end_reason FROM bed_hold WHERE id = $1`, [acceptedOffer.bed_hold_id]),
    ).toEqual({ status: 'RELEASED', end_reason: 'withdrawn' });
    expectCode(await offerMutation(w, w.tokens.staffA, 'confirmIntake', acceptedOffer.id), 'INVALID_TRANSITION');

    // WAITLISTED: beds that appear later are not given to it
    await setPool(w, w.pools.a, { capacity: 10, occupied: 10 });
    await setPool(w, w.pools.b, { capacity: 10, occupied: 10 });
    const waitlisted = await submitAndConsent();
    await waitForDbState(w, waitlisted.id, 'WAITLISTED');
    await expectWithdrawn(waitlisted.id);
    const freed = await gql(
      w.api.url,
      `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { available } }`,
      { i: { poolId: w.pools.a, occupiedDelta: -1 } },
      w.tokens.staffA,
    );
    expect(freed.errors).toBeUndefined();
    await settled(queue);
    expect((await referral(w, waitlisted.id)).state).toBe('WITHDRAWN');
    expect(await w.fx.count('bed_hold', 'referral_id = $1', [waitlisted.id])).toBe(0);

    expect(await pool(w.pools.a)).toMatchObject({ held: 0 });
    expect(await pool(w.pools.b)).toMatchObject({ held: 0 });
  });

  it('refused transitions have stable codes and change nothing', async () => {
    const r = await submitAndConsent();
    await waitForDbState(w, r.id, 'OFFERED');
    const atA = (await openOffer(w, r.id))!;
    expect(atA.shelter_id).toBe(w.shelters.a);

    // another organisation's shelter staff cannot see or answer the offer: not found, whatever they try
    const before = await snapshot();
    expectCode(await accept(w, w.tokens.staffB, atA.id), 'NOT_FOUND');
    for (const name of ['confirmIntake', 'recordNoShow'] as const) {
      expectCode(await offerMutation(w, w.tokens.staffB, name, atA.id), 'NOT_FOUND');
    }
    expectCode(await recordExit(w, w.tokens.staffB, atA.id), 'NOT_FOUND');
    expect(await snapshot()).toEqual(before);

    // an expired offer cannot be accepted (whether or not the worker has timed it out yet)
    await w.fx.pg.query(`UPDATE offer SET respond_by = now() - interval '1 second' WHERE id = $1`, [atA.id]);
    const late = expectCode(await accept(w, w.tokens.staffA, atA.id), 'INVALID_TRANSITION');
    expect(late.message).toMatch(/expired|TIMED_OUT/);
    expect(await w.fx.count('referral_event', `referral_id = $1 AND to_state = 'ACCEPTED'`, [r.id])).toBe(0);
    expect((await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [atA.id])).status).not.toBe('ACCEPTED');
    const atB = await eventually('the next offer', async () => {
      const next = await openOffer(w, r.id);
      return next && next.id !== atA.id ? next : undefined;
    });
    expect((await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [atA.id])).status).toBe('TIMED_OUT');
    expectCode(await accept(w, w.tokens.staffA, atA.id), 'INVALID_TRANSITION');

    // intake confirmed twice: the second is refused, the bed is occupied once
    expect((await accept(w, w.tokens.staffB, atB.id)).errors).toBeUndefined();
    expect((await offerMutation(w, w.tokens.staffB, 'confirmIntake', atB.id)).errors).toBeUndefined();
    const placed = await snapshot();
    expectCode(await offerMutation(w, w.tokens.staffB, 'confirmIntake', atB.id), 'INVALID_TRANSITION');
    expectCode(await offerMutation(w, w.tokens.staffB, 'recordNoShow', atB.id), 'INVALID_TRANSITION');
    expectCode(await withdraw(w, r.id), 'INVALID_TRANSITION');
    expect(await snapshot()).toEqual(placed);
    expect(await pool(w.pools.b)).toMatchObject({ occupied: 1, held: 0 });

    // an EXITED referral cannot be withdrawn, nor exit twice
    expect((await recordExit(w, w.tokens.staffB, atB.id)).errors).toBeUndefined();
    await waitForState(w, r.id, 'EXITED');
    const exited = await snapshot();
    const refused = expectCode(await withdraw(w, r.id), 'INVALID_TRANSITION');
    expect(refused.message).toMatch(/EXITED/);
    expectCode(await recordExit(w, w.tokens.staffB, atB.id), 'INVALID_TRANSITION');
    expect(await snapshot()).toEqual(exited);
    expect(await pool(w.pools.b)).toMatchObject({ occupied: 0, held: 0 });
  });
});
