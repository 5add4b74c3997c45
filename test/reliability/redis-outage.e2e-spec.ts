import { Queue } from 'bullmq';
import { freePort, spawnApi } from '../support/app';
import { collect, gql, GqlResult, login, wsClient } from '../support/gql';
import { PASSWORD } from '../support/fixtures';
import { consent, NEEDS } from '../support/referrals';
import { TcpProxy } from '../support/tcp-proxy';
import { createWorld, World } from '../support/world';
import {
  closeOpenReferrals,
  eventually,
  settled,
  shutDown,
  sleep,
  startReadyWorker,
  waitForDbState,
  Worker,
  WORKFLOW_ENV,
} from '../referrals/harness';

/**
 * Redis outages, for this file's API and worker only: both reach Redis through a proxy that can drop every
 * connection (Redis down) or answer nothing (Redis hung), while the shared Redis goes on serving other files.
 * Requests must not wait on Redis (the outbox lets a change commit without it), no transaction may wait on it,
 * and work must resume promptly once it is back, however long it was gone.
 */
const WATCH = `subscription($id: ID!) { regionCapacityChanged(regionId: $id) { regionId } }`;
const closeCode = (sub: { error: unknown }) => (sub.error as { code?: number } | undefined)?.code;

describe('a Redis outage', () => {
  let proxy: TcpProxy;
  let w: World;
  let queue: Queue;
  let worker: Worker;

  /** What a client with 5 s of patience gets: the answer, or a failure saying it never came. */
  const within5s = async <T>(request: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5_000);
    });
    try {
      return await Promise.race([request, patience]);
    } finally {
      clearTimeout(timer);
    }
  };
  const submit = (token: string) =>
    gql(
      w.api.url,
      `mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { id state } }`,
      { i: { regionId: w.regions.countyA, needs: NEEDS } },
      token,
    );
  const idleInTransaction = async () =>
    Number(
      (
        await w.fx.one<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`,
        )
      ).n,
    );
  const unrelayed = async () => w.fx.count('outbox', 'relayed_at IS NULL');

  beforeAll(async () => {
    proxy = new TcpProxy(6379);
    const port = await proxy.start();
    w = await createWorld({ ...WORKFLOW_ENV, REDIS_URL: `redis://127.0.0.1:${port}` });
    // the test's own view of the queue goes straight to Redis
    queue = new Queue('referrals', {
      connection: { url: 'redis://127.0.0.1:6379', maxRetriesPerRequest: null },
      prefix: `${w.env.env.REDIS_PREFIX}:bull`,
    });
    worker = await startReadyWorker(w, queue, { SHUTDOWN_GRACE_MS: '2000', LOG_LEVEL: 'info' });
  });
  afterEach(async () => {
    proxy.set('open');
    await closeOpenReferrals(w);
    await settled(queue);
  });
  afterAll(async () => {
    proxy.set('open');
    await shutDown(w, queue, worker);
    await proxy.close();
  });

  it('that answers nothing: sign-in, reads and changes answer at once, no transaction waits, jobs wait in the outbox', async () => {
    proxy.set('silent');
    // a new shift signs in while Redis hangs, and works
    const token = await within5s(login(w.api.url, 'advocate@example.org', PASSWORD));
    const me: GqlResult = await within5s(gql(w.api.url, `{ me { id email } }`, {}, token));
    expect(me.data?.me.email).toBe('advocate@example.org');
    const staff = await within5s(login(w.api.url, 'staff.a@example.org', PASSWORD));
    const adjusted: GqlResult = await within5s(
      gql(
        w.api.url,
        `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id occupied } }`,
        { i: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' } },
        staff,
      ),
    );
    expect(adjusted.errors).toBeUndefined();
    expect(adjusted.data.adjustBeds.occupied).toBe(1);
    const submitted: GqlResult = await within5s(submit(token));
    expect(submitted.errors).toBeUndefined();
    const referralId = submitted.data.submitReferral.id as string;
    await within5s(consent({ ...w, tokens: { ...w.tokens, advocate: token } }, referralId));
    // nothing holds a transaction open waiting for Redis; the match job waits, committed, in the outbox
    expect(await idleInTransaction()).toBe(0);
    expect(await unrelayed()).toBeGreaterThan(0);
    expect((await w.fx.one<{ state: string }>(`SELECT state FROM referral WHERE id = $1`, [referralId])).state).toBe(
      'MATCHING',
    );

    // Redis is back: the outbox drains and the referral is offered a bed, with nobody calling again
    proxy.set('open');
    await waitForDbState(w, referralId, 'OFFERED');
    await eventually('the outbox to drain', async () => (await unrelayed()) === 0);
    await within5s(
      gql(
        w.api.url,
        `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id } }`,
        { i: { poolId: w.pools.a, occupiedDelta: -1, reason: 'left' } },
        staff,
      ),
    );
  });

  it('that lasted 12 s: work resumes within a few seconds of its return, not after a long reconnect backoff', async () => {
    proxy.set('refuse');
    const submitted: GqlResult = await within5s(submit(w.tokens.advocate));
    const referralId = submitted.data.submitReferral.id as string;
    await within5s(consent(w, referralId));
    await sleep(12_000);
    proxy.set('open');
    // the worker's connections come back within REDIS_RECONNECT_MAX_MS (1 s) and relay the match job
    await waitForDbState(w, referralId, 'OFFERED', 5_000);
  });

  it('live subscribers learn they may have missed events: sockets closed with 1012, here and on an API it never reached', async () => {
    // a second API that reaches Redis directly: its own connections never break
    const direct = await spawnApi(
      { ...w.env, env: { ...w.env.env, REDIS_URL: 'redis://127.0.0.1:6379' } },
      await freePort(),
    );
    const watch = (url: string) => collect(wsClient(url, w.tokens.coordinator), WATCH, { id: w.regions.countyA });
    const here = watch(w.api.url);
    const there = watch(direct.url);
    await sleep(500);
    expect([closeCode(here), closeCode(there)]).toEqual([undefined, undefined]);

    proxy.set('refuse');
    await sleep(1_500);
    proxy.set('open');
    // this API lost its subscription; the processes behind the proxy may have lost what they published
    await eventually('the socket through the outage to close', async () => closeCode(here) === 1012);
    await eventually('the socket on the other API to close', async () => closeCode(there) === 1012);

    // the client reconnects, refetches, and is live again
    const again = watch(direct.url);
    await sleep(500);
    const changed = await gql(
      w.api.url,
      `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id } }`,
      { i: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' } },
      w.tokens.staffA,
    );
    expect(changed.errors).toBeUndefined();
    expect((await again.next()).data.regionCapacityChanged.regionId).toBe(w.regions.countyA);
    again.dispose();
    await direct.close();
  });

  it('while it lasts, a worker told to stop still stops (within SHUTDOWN_GRACE_MS), and says so in one line', async () => {
    const before = worker.output().length;
    proxy.set('refuse');
    await sleep(1_500);
    const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    await within5s(exited);
    const lines = worker.output().slice(before).trim().split('\n');
    // one line per connection (7) when it was lost, no stack traces
    const lost = lines.filter((l) => /connection lost/.test(l)).length;
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(7);
    expect(worker.output().slice(before)).not.toMatch(/\n\s+at /);
    proxy.set('open');
    worker = await startReadyWorker(w, queue, { SHUTDOWN_GRACE_MS: '2000', LOG_LEVEL: 'info' });
  });
});
