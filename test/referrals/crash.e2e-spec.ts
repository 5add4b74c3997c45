import { Queue } from 'bullmq';
import { Client } from 'pg';
import { checkInvariants, consent, submit } from '../support/referrals';
import { createWorld, World } from '../support/world';
import {
  eventually,
  jobId,
  referralsQueue,
  setPool,
  settled,
  startReadyWorker,
  statesOf,
  waitForDbState,
  Worker,
  WORKFLOW_ENV,
  cleanUpAfterTest,
  shutDown,
  waitUntilMatched,
} from './harness';

/**
 * The worker process killed with SIGKILL in the middle of matching, and a new one started: Postgres rolls back
 * the steps that were in flight, BullMQ hands their jobs to the new worker, and every referral ends where it
 * should, with no bed held twice.
 */
describe('worker crash', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;

  const killHard = async (victim: Worker) => {
    const exited = new Promise((resolve) => victim.child.once('exit', resolve));
    victim.child.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    // a consent window long enough for many submissions under load (the window itself is tested in timers)
    // a dead worker's jobs are retried once their 2 s locks lapse and a stalled-job check (every second) sees them
    w = await createWorld({
      ...WORKFLOW_ENV,
      CONSENT_WINDOW_SECONDS: '120',
      WORKER_JOB_LOCK_MS: '2000',
      WORKER_STALLED_CHECK_MS: '1000',
    });
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue);
  });
  afterEach(async () => {
    await cleanUpAfterTest(w, queue);
  });
  afterAll(async () => {
    await shutDown(w, queue, worker);
  });

  it('SIGKILL while 20 referrals are being matched: a new worker finishes every one, no bed held twice', async () => {
    await w.fx.pg.query(`UPDATE shelter SET response_minutes = 600`);
    await setPool(w, w.pools.a, { capacity: 10, occupied: 4 }); // 6 free
    await setPool(w, w.pools.b, { capacity: 10, occupied: 6 }); // 4 free

    // hold both pools locked, so every match step stops inside its transaction, after locking its referral
    const blocker = new Client({ connectionString: w.env.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT id FROM bed_pool WHERE id = ANY($1::uuid[]) FOR UPDATE`, [[w.pools.a, w.pools.b]]);
    const ids: string[] = [];
    try {
      const created = await Promise.all(Array.from({ length: 20 }, () => submit(w)));
      ids.push(...created.map((r) => r.id));
      await Promise.all(ids.map((id) => consent(w, id)));
      // the worker runs 16 jobs at a time, on at most DATABASE_POOL_SIZE connections: wait until as many
      // steps as it has connections are stopped mid-transaction, waiting for the pool lock
      const connections = Math.min(16, Number(w.env.env.DATABASE_POOL_SIZE));
      await eventually(
        'match steps to be blocked mid-transaction',
        async () =>
          (await queue.getJobCounts('active')).active === 16 &&
          (await w.fx.count('pg_stat_activity', `datname = current_database() AND wait_event_type = 'Lock'`)) ===
            connections,
        15_000,
        50,
      );
      await killHard(worker);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }

    // nothing the killed worker was doing committed: all 20 still MATCHING, no hold, no offer
    await eventually(
      'the killed worker’s transactions to be rolled back',
      async () =>
        (await w.fx.count('pg_stat_activity', `datname = current_database() AND wait_event_type = 'Lock'`)) === 0,
    );
    expect(await statesOf(w, ids)).toEqual({ MATCHING: 20 });
    expect(await w.fx.count('bed_hold', 'true')).toBe(0);
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 0, available: 6 });
    expect(await w.fx.poolRow(w.pools.b)).toMatchObject({ held: 0, available: 4 });

    // the dead worker's 16 jobs are still active in Redis, their locks running out
    expect((await queue.getJobCounts('active')).active).toBe(16);
    worker = await startReadyWorker(w, queue);
    await waitUntilMatched(w, ids, 20_000);
    await settled(queue);
    expect(await statesOf(w, ids)).toEqual({ OFFERED: 10, WAITLISTED: 10 });
    expect(await w.fx.count('bed_hold', `status = 'ACTIVE'`)).toBe(10);
    expect(await w.fx.count('offer', `status = 'OPEN'`)).toBe(10);
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 6, available: 0 });
    expect(await w.fx.poolRow(w.pools.b)).toMatchObject({ held: 4, available: 0 });
    // every referral went through matching once: one MATCHING → OFFERED/WAITLISTED step each
    const steps = await w.fx.pg.query(
      `SELECT referral_id, count(*) AS n FROM referral_event
        WHERE referral_id = ANY($1::uuid[]) AND from_state = 'MATCHING' GROUP BY referral_id`,
      [ids],
    );
    expect(steps.rows.map((r) => Number(r.n))).toEqual(Array(20).fill(1));
    expect((await queue.getJobCounts('failed')).failed).toBe(0);
    await checkInvariants(w);
  });

  it('a step that committed but whose job was never relayed (its writer died) is delivered by the relay loop', async () => {
    await w.fx.pg.query(`UPDATE shelter SET response_minutes = 600`);
    await setPool(w, w.pools.a, { capacity: 10 });
    await setPool(w, w.pools.b, { capacity: 10 });
    await queue.pause();
    const r = await submit(w);
    // a backlog in the outbox ahead of it: its consent-window timer written 450 more times (the relay takes 200
    // rows a pass; duplicates are harmless, BullMQ keeps one job per id)
    await w.fx.pg.query(
      `INSERT INTO outbox (job_name, job_id, payload, run_at)
       SELECT job_name, job_id, payload, run_at FROM outbox, generate_series(1, 450) WHERE job_id = $1`,
      [jobId('referral.consent-expiry', { referralId: r.id })],
    );
    // the advocate's consent commits (MATCHING, match job in the outbox), then the process dies before relaying:
    // the job is taken out of Redis and its outbox row left unrelayed, as the crash would leave them
    await consent(w, r.id);
    const matchJob = jobId('referral.match', { referralId: r.id, attempt: 1 });
    expect(await queue.remove(matchJob)).toBe(1);
    await w.fx.pg.query(`UPDATE outbox SET relayed_at = NULL WHERE job_id = $1`, [matchJob]);
    await queue.resume();

    // long before the sweeper's 30 s "stuck in MATCHING" net, the relay loop (every 200 ms) delivers it
    await waitForDbState(w, r.id, 'OFFERED', 5_000);
    await eventually(
      'the outbox to be relayed',
      async () => (await w.fx.count('outbox', `relayed_at IS NULL`)) === 0,
      3_000,
    );
  });
});
