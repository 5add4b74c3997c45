import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, SpawnedNode, spawnNode, TEST_JWT_SECRET } from '../support/app';
import { Fixtures, PASSWORD } from '../support/fixtures';
import { login } from '../support/gql';
import { OwnPostgres, OwnRedis } from './services';

/**
 * The fault suite (`npm run test:faults`; part of `npm test`): its own Postgres cluster and Redis on other ports,
 * an API and a worker from the build, a bounded load of referrals (submit, consent) and bed changes through the API
 * with idempotency keys and retries, as the web app sends them, and one fault at a time. After each fault: every
 * acknowledged referral exists and moves on (none left in MATCHING), nothing was committed without its key (so a
 * retry could not double it), the bed invariant holds, at most one active hold per referral, the outbox drains,
 * /health/ready recovers, and every error a client saw had a stable code. Recovery time: from the fault's end until
 * all of that holds. The table is printed and written to .tmp/fault-table.md (README "Reliability").
 */
const ROOT = path.resolve(__dirname, '../..');
const RECOVERY_BOUND_MS = 60_000;
// each fault runs the load, the fault and the recovery
jest.setTimeout(180_000);
const ALLOWED_CODES = new Set(['SERVICE_UNAVAILABLE', 'RATE_LIMITED', 'CAPACITY_CONFLICT', 'NO_ANSWER']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults', () => {
  let pg: OwnPostgres;
  let redis: OwnRedis;
  let fx: Fixtures;
  let api: SpawnedNode;
  let worker: SpawnedNode;
  let apiPort: number;
  let env: Record<string, string>;
  let region: string;
  const pools: string[] = [];
  const tokens: { staff: string; advocate: string } = { staff: '', advocate: '' };
  const table: { fault: string; recoveryMs: number; acknowledged: number; errors: string }[] = [];

  const startApi = async () => {
    api = await spawnNode('dist/apps/api/src/main.js', { ...env, PORT: String(apiPort) }, apiPort);
  };
  const startWorker = async () => {
    worker = await spawnNode('dist/apps/worker/src/main.js', env);
  };

  beforeAll(async () => {
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    apiPort = await freePort();
    pg = new OwnPostgres(pgPort);
    pg.init();
    redis = new OwnRedis(redisPort);
    await redis.start();
    env = {
      NODE_ENV: 'test',
      DATABASE_OWNER_URL: pg.ownerUrl,
      DATABASE_URL: `postgres://shelterlink_app:local-only-app-password@127.0.0.1:${pgPort}/shelterlink`,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'faults',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      SCHEMA_FILE: 'memory',
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '1000000',
      WORKFLOW_MINUTE_MS: '100',
      OUTBOX_POLL_MS: '200',
      SWEEP_INTERVAL_MS: '1000',
      MATCHING_STUCK_SECONDS: '5',
      WORKER_JOB_LOCK_MS: '2000',
      WORKER_STALLED_CHECK_MS: '1000',
      SHUTDOWN_GRACE_MS: '3000',
    };
    execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'migrate'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
    fx = new Fixtures(pg.ownerUrl);
    // the suite's own connections see Postgres stop too: an idle one's error is expected, not a failure
    fx.pg.on('error', () => undefined);
    region = await fx.region('FS', 'Fault County');
    const provider = await fx.organisation('Fault House', 'SHELTER_PROVIDER');
    const agency = await fx.organisation('Fault Line', 'REFERRAL_AGENCY');
    await fx.user('staff@faults.example.org', 'SHELTER_STAFF', provider);
    await fx.user('advocate@faults.example.org', 'HOTLINE_ADVOCATE', agency);
    for (let i = 0; i < 4; i++) {
      const shelter = await fx.shelter(provider, region, { name: `Fault Shelter ${i}`, latitude: 30.27 + i / 100 });
      pools.push(await fx.pool(shelter, 'SINGLE', 100));
    }
    // 20 shelter minutes to answer (2 s here): offers time out and referrals are matched again, all through the run
    await fx.pg.query(`UPDATE shelter SET response_minutes = 20, hold_minutes = 20`);
    await startApi();
    await startWorker();
    tokens.staff = await login(api.url, 'staff@faults.example.org', PASSWORD);
    tokens.advocate = await login(api.url, 'advocate@faults.example.org', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await fx?.close();
    pg?.destroy();
    await redis?.destroy();
    if (table.length > 0) {
      const lines = [
        '| fault | recovered within | acknowledged changes | errors clients saw |',
        '| --- | ---: | ---: | --- |',
        ...table.map((r) => `| ${r.fault} | ${(r.recoveryMs / 1000).toFixed(1)} s | ${r.acknowledged} | ${r.errors} |`),
      ];
      mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
      writeFileSync(path.join(ROOT, '.tmp/fault-table.md'), `${lines.join('\n')}\n`);
      process.stdout.write(`\n${lines.join('\n')}\n`);
    }
  }, 60_000);

  // ── the load ───────────────────────────────────────────────────────────────────────────────────────────────────

  interface Load {
    stop(): Promise<void>;
    referrals: string[];
    acknowledged: number;
    codes: Map<string, number>;
  }

  /** One call, as a client with 5 s of patience sees it: the data, or an error code (NO_ANSWER: nothing came). */
  async function call(query: string, variables: Record<string, unknown>, token: string) {
    try {
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
      if (body.errors) return { code: body.errors[0].extensions?.code ?? 'NO_CODE' };
      return { data: body.data };
    } catch {
      return { code: 'NO_ANSWER' };
    }
  }

  function startLoad(): Load {
    let running = true;
    const pending = new Set<Promise<unknown>>();
    const load: Load = {
      referrals: [],
      acknowledged: 0,
      codes: new Map(),
      stop: async () => {
        running = false;
        while (pending.size > 0) await Promise.all([...pending]);
      },
    };
    /** Sends until acknowledged, with the same key every time; gives up 30 s after the load stops. */
    const reliably = async (query: string, variables: Record<string, unknown>, token: string) => {
      const idempotencyKey = randomUUID();
      let giveUpAt = Number.POSITIVE_INFINITY;
      for (;;) {
        const r = await call(query, { ...variables, idempotencyKey }, token);
        if (r.data) {
          load.acknowledged++;
          return r.data;
        }
        load.codes.set(r.code!, (load.codes.get(r.code!) ?? 0) + 1);
        if (!['SERVICE_UNAVAILABLE', 'NO_ANSWER', 'RATE_LIMITED'].includes(r.code!)) return null;
        if (!running && giveUpAt === Number.POSITIVE_INFINITY) giveUpAt = Date.now() + 30_000;
        if (Date.now() > giveUpAt) return null;
        await sleep(300);
      }
    };
    const track = (work: Promise<unknown>) => {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    };
    const SUBMIT = `mutation($i: SubmitReferralInput!, $idempotencyKey: String) {
      submitReferral(input: $i, idempotencyKey: $idempotencyKey) { id } }`;
    const CONSENT = `mutation($id: ID!, $i: RecordConsentInput!, $idempotencyKey: String) {
      recordConsent(referralId: $id, input: $i, idempotencyKey: $idempotencyKey) { state } }`;
    const ADJUST = `mutation($i: AdjustBedsInput!, $idempotencyKey: String) {
      adjustBeds(input: $i, idempotencyKey: $idempotencyKey) { id } }`;
    const needs = {
      age: 30,
      gender: 'WOMAN',
      traffickingTypes: ['SEX'],
      urgency: 'TONIGHT',
      location: { latitude: 30.27, longitude: -97.74 },
      radiusKm: 200,
    };
    let tick = 0;
    const loop = async () => {
      while (running) {
        tick++;
        track(
          (async () => {
            const submitted = await reliably(SUBMIT, { i: { regionId: region, needs } }, tokens.advocate);
            if (!submitted) return;
            load.referrals.push(submitted.submitReferral.id);
            const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
            await reliably(
              CONSENT,
              {
                id: submitted.submitReferral.id,
                i: { scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'], method: 'VERBAL_HOTLINE', expiresAt },
              },
              tokens.advocate,
            );
          })(),
        );
        const pool = pools[tick % pools.length];
        const delta = Math.floor(tick / pools.length) % 2 === 0 ? 1 : -1;
        track(reliably(ADJUST, { i: { poolId: pool, occupiedDelta: delta, reason: 'load' } }, tokens.staff));
        await sleep(250);
      }
    };
    track(loop());
    return load;
  }

  // ── what must hold after every fault ───────────────────────────────────────────────────────────────────────────

  async function problems(load: Load): Promise<string[]> {
    const found: string[] = [];
    try {
      if (!(await fetch(`${api.url}/health/ready`)).ok) found.push('not ready');
    } catch {
      found.push('API not answering');
    }
    const one = async (sql: string, params: unknown[] = []) => Number((await fx.one<{ n: string }>(sql, params)).n);
    try {
      const missing = await one(`SELECT $1::int - count(*) AS n FROM referral WHERE id = ANY($2::uuid[])`, [
        load.referrals.length,
        load.referrals,
      ]);
      if (missing > 0) found.push(`${missing} acknowledged referrals missing`);
      const stuck = await one(
        `SELECT count(*) AS n FROM referral WHERE state = 'MATCHING' AND updated_at < clock_timestamp() - interval '15 seconds'`,
      );
      if (stuck > 0) found.push(`${stuck} referrals stuck in MATCHING`);
      const unrelayed = await one(`SELECT count(*) AS n FROM outbox WHERE relayed_at IS NULL`);
      if (unrelayed > 0) found.push(`${unrelayed} outbox rows not relayed`);
      const bad = await one(`SELECT count(*) AS n FROM bed_pool p
          WHERE p.held <> (SELECT count(*) FROM bed_hold h WHERE h.bed_pool_id = p.id AND h.status = 'ACTIVE')
             OR p.occupied < 0 OR p.held < 0 OR p.out_of_service < 0
             OR p.capacity < p.occupied + p.held + p.out_of_service`);
      if (bad > 0) found.push(`${bad} pools break the bed invariant`);
      const doubled = await one(`SELECT count(*) AS n FROM (SELECT referral_id FROM bed_hold WHERE status = 'ACTIVE'
          GROUP BY referral_id HAVING count(*) > 1) d`);
      if (doubled > 0) found.push(`${doubled} referrals with two active holds`);
      // every committed change carries its key: a retry could not have made it twice
      const adjusted = await one(`SELECT count(*) AS n FROM capacity_event WHERE kind = 'ADJUSTED'`);
      const adjustKeys = await one(`SELECT count(*) AS n FROM idempotency_key WHERE operation = 'adjustBeds'`);
      if (adjusted !== adjustKeys) found.push(`${adjusted} bed changes for ${adjustKeys} keys`);
      const referrals = await one(`SELECT count(*) AS n FROM referral`);
      const submitKeys = await one(`SELECT count(*) AS n FROM idempotency_key WHERE operation = 'submitReferral'`);
      if (referrals !== submitKeys) found.push(`${referrals} referrals for ${submitKeys} keys`);
    } catch (error) {
      found.push(`database not answering the checks: ${(error as Error).message}`);
    }
    return found;
  }

  /** Runs the load, the fault, then waits until everything holds; returns the recovery time. */
  async function survive(fault: string, inject: () => Promise<void>, restore: () => Promise<void>): Promise<void> {
    const load = startLoad();
    await sleep(2_000);
    await inject();
    // recovery counts from the fault's end, restarting what was stopped included
    const restoredAt = Date.now();
    await restore();
    await load.stop();
    let left: string[];
    for (;;) {
      left = await problems(load);
      if (left.length === 0) break;
      if (Date.now() - restoredAt > RECOVERY_BOUND_MS) break;
      await sleep(250);
    }
    const recoveryMs = Date.now() - restoredAt;
    const codes = [...load.codes].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
    table.push({ fault, recoveryMs, acknowledged: load.acknowledged, errors: codes });
    expect(left).toEqual([]);
    expect([...load.codes.keys()].filter((code) => !ALLOWED_CODES.has(code))).toEqual([]);
    expect(load.referrals.length).toBeGreaterThan(0);
  }

  const signal = (node: SpawnedNode, name: NodeJS.Signals) => node.child.kill(name);
  const exited = (node: SpawnedNode) =>
    new Promise<void>((resolve) =>
      node.child.exitCode !== null || node.child.signalCode !== null
        ? resolve()
        : node.child.once('exit', () => resolve()),
    );

  it('worker SIGKILL', () =>
    survive(
      'worker killed (SIGKILL), restarted 2 s later',
      async () => {
        signal(worker, 'SIGKILL');
        await exited(worker);
        await sleep(2_000);
      },
      startWorker,
    ));

  it('worker SIGTERM with jobs in flight', () =>
    survive(
      'worker stopped (SIGTERM) with jobs in flight, restarted',
      async () => {
        signal(worker, 'SIGTERM');
        await exited(worker);
      },
      startWorker,
    ));

  it('worker frozen', () =>
    survive(
      'worker frozen (SIGSTOP) 10 s',
      async () => {
        signal(worker, 'SIGSTOP');
        await sleep(10_000);
      },
      async () => {
        signal(worker, 'SIGCONT');
      },
    ));

  it('API SIGKILL', () =>
    survive(
      'API killed (SIGKILL), restarted',
      async () => {
        signal(api, 'SIGKILL');
        await exited(api);
      },
      startApi,
    ));

  it('Redis restart', () =>
    survive(
      'Redis restarted (SIGTERM, AOF)',
      async () => {
        await redis.stop('SIGTERM');
      },
      () => redis.start(),
    ));

  it('Redis SIGKILL', () =>
    survive(
      'Redis killed (SIGKILL, AOF), restarted',
      async () => {
        await redis.stop('SIGKILL');
      },
      () => redis.start(),
    ));

  it('Redis down 20 s', () =>
    survive(
      'Redis stopped 20 s',
      async () => {
        await redis.stop('SIGTERM');
        await sleep(20_000);
      },
      () => redis.start(),
    ));

  it('Redis at its memory limit', async () => {
    let readyDuring = true;
    await survive(
      'Redis at its memory limit 10 s (writes refused)',
      async () => {
        redis.cli('CONFIG', 'SET', 'maxmemory', '1');
        await sleep(1_000);
        readyDuring = (await fetch(`${api.url}/health/ready`)).ok;
        await sleep(9_000);
      },
      async () => {
        redis.cli('CONFIG', 'SET', 'maxmemory', '0');
      },
    );
    expect(readyDuring).toBe(false);
  });

  it('Postgres down 10 s', () =>
    survive(
      'Postgres stopped 10 s',
      async () => {
        pg.stop();
        await sleep(10_000);
      },
      async () => pg.start(),
    ));

  it(
    'Postgres down 60 s',
    () =>
      survive(
        'Postgres stopped 60 s',
        async () => {
          pg.stop();
          await sleep(60_000);
        },
        async () => pg.start(),
      ),
    240_000,
  );
});
