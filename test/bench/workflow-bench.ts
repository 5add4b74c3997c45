/**
 * `npm run bench:workflow` (through test/bench/run.sh, which builds dist/ and compiles this to .tmp/bench/).
 * Not part of the tests. Drives referrals through submit → consent → match → accept → intake against the real
 * API and worker (separate processes from dist/, on a fresh database cloned from the migrated template), and in
 * the same run the same number of four-step flows through raw BullMQ with no-op processors, so the printed
 * ratio compares like with like on this machine. Timing targets are printed as figures, never asserted.
 *
 * Phases (BENCH_PHASES, default all three, in this order):
 *  - latency: BENCH_REFERRALS referrals started open-loop at BENCH_RATE per second. Each: submitReferral →
 *    recordConsent (t0 just before it is sent) → the offerReceived notice over graphql-ws (t1) → respondToOffer
 *    (accept) → confirmIntake. Prints consent→offer (t1 − t0) p50/p95/p99, the rate achieved, failures, and
 *    where the time went (Postgres and BullMQ timestamps of each referral's consent, relay, match job and offer).
 *  - throughput: the pools are reset, then BENCH_REFERRALS referrals closed-loop, BENCH_CONCURRENCY in flight.
 *  - raw: BENCH_REFERRALS flows of four chained no-op BullMQ jobs (each processor enqueues the next step), worker
 *    concurrency BENCH_RAW_WORKER_CONCURRENCY, closed-loop at BENCH_CONCURRENCY flows in flight (the ratio's
 *    baseline) and all enqueued at once. The API and worker are stopped first.
 *
 * Environment (all optional): BENCH_REFERRALS=2000  BENCH_RATE=20  BENCH_CONCURRENCY=32  BENCH_WARMUP=20
 * BENCH_SHELTERS=50  BENCH_CAPACITY=100 (beds per shelter; raised when too few for a phase)
 * BENCH_LOCATIONS=same (every survivor at one point, as the issue says: the nearest shelter's pool is a hot row)
 * or spread (uniformly over the shelters' grid)  BENCH_RAW_WORKER_CONCURRENCY=50  BENCH_OFFER_TIMEOUT_S=30
 * BENCH_LATENCY_GRACE_S=45 (after the last start, wait at most this long for the latency phase's referrals)
 * BENCH_THROUGHPUT_MAX_S=90 (stop starting referrals after this long)  BENCH_QUIET_WAIT_S=10 (before each phase,
 * wait at most this long for the cores to be under 25% busy)  BENCH_TIMEOUT_S=420 (stop and clean up after this
 * long)  BENCH_KEEP_DB=1  BENCH_DIST=dist  BENCH_ENV_<VAR>=v passes VAR=v to the API and the worker (e.g.
 * BENCH_ENV_DATABASE_POOL_SIZE=10); BENCH_API_<VAR> and BENCH_WORKER_<VAR> to one of them.
 * Needs dist/apps/{api,worker,cli} built (run.sh builds them).
 *
 * Besides latencies it prints the CPU each referral cost per process (from /proc), the share of the machine
 * used by other work meanwhile (figures are marked disturbed when it is large), what the app's Postgres
 * backends were doing (sampled from pg_stat_activity: lock waits, idle in transaction), and the app's warning
 * and error log lines by message.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Job, Queue, Worker } from 'bullmq';
import { Client as WsClient, createClient } from 'graphql-ws';
import Redis from 'ioredis';
import { Client } from 'pg';
import WebSocket from 'ws';
import {
  ORIGIN,
  resetPools,
  seedWorkflowNetwork,
  WF_ADVOCATE_EMAIL,
  WF_PASSWORD,
  WF_STAFF_EMAIL,
} from './workflow-seed';
import { backendCpu, cpuDelta, machineTicks, processCpuMs, TICK_MS, waitForQuiet as quietMachine } from './measure';
import { appDbUrl, dbUrl, freePort, migrate } from './processes';

const ROOT = path.resolve(__dirname, '../..');
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = 'redis://127.0.0.1:6379';
const TEMPLATE = process.env.TEST_TEMPLATE_DB ?? 'shelterlink_test_tpl';
const DIST = path.resolve(ROOT, process.env.BENCH_DIST ?? 'dist');
const JWT_SECRET = `bench-secret-${randomBytes(16).toString('hex')}`;

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

const REFERRALS = numberEnv('BENCH_REFERRALS', 2000);
const RATE = numberEnv('BENCH_RATE', 20);
const CONCURRENCY = numberEnv('BENCH_CONCURRENCY', 32);
const WARMUP = numberEnv('BENCH_WARMUP', 20);
const SHELTERS = numberEnv('BENCH_SHELTERS', 50);
const RAW_WORKER_CONCURRENCY = numberEnv('BENCH_RAW_WORKER_CONCURRENCY', 50);
const OFFER_TIMEOUT_MS = numberEnv('BENCH_OFFER_TIMEOUT_S', 30) * 1000;
const THROUGHPUT_MAX_MS = numberEnv('BENCH_THROUGHPUT_MAX_S', 90) * 1000;
const LATENCY_GRACE_MS = numberEnv('BENCH_LATENCY_GRACE_S', 45) * 1000;
const QUIET_WAIT_S = numberEnv('BENCH_QUIET_WAIT_S', 10);
const WATCHDOG_MS = numberEnv('BENCH_TIMEOUT_S', 420) * 1000;
const KEEP_DB = process.env.BENCH_KEEP_DB === '1';
const PHASES = new Set((process.env.BENCH_PHASES ?? 'latency,throughput,raw').split(',').map((s) => s.trim()));
const CAPACITY = Math.max(numberEnv('BENCH_CAPACITY', 100), Math.ceil((REFERRALS + WARMUP) / Math.max(1, SHELTERS)));
/** `same`: every survivor at ORIGIN (the issue's setting); `spread`: uniformly over the shelters' grid. */
const LOCATIONS = process.env.BENCH_LOCATIONS === 'spread' ? 'spread' : 'same';
const QUIET_BUSY = 0.25;
const TARGET_P95_MS = 500;
const TARGET_RATIO = 0.25;

function passThrough(prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([k, v]) => k.startsWith(prefix) && k.length > prefix.length && v !== undefined)
      .map(([k, v]) => [k.slice(prefix.length), v as string]),
  );
}
const BOTH_EXTRA_ENV = passThrough('BENCH_ENV_');
const API_EXTRA_ENV = { ...BOTH_EXTRA_ENV, ...passThrough('BENCH_API_') };
const WORKER_EXTRA_ENV = { ...BOTH_EXTRA_ENV, ...passThrough('BENCH_WORKER_') };

const SUBMIT = `mutation Submit($input: SubmitReferralInput!) { submitReferral(input: $input) { id state } }`;
const CONSENT = `mutation Consent($id: ID!, $input: RecordConsentInput!) {
  recordConsent(referralId: $id, input: $input) { id state }
}`;
const ACCEPT = `mutation Accept($id: ID!) { respondToOffer(offerId: $id, input: { accept: true }) { id status } }`;
const INTAKE = `mutation Intake($id: ID!) { confirmIntake(offerId: $id) { id status } }`;
const OFFER_RECEIVED = `subscription Offers($shelterId: ID!) {
  offerReceived(shelterId: $shelterId) { offerId referralId shelterId }
}`;
const LOGIN = `mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;

// ── what to clean up, even on failure ────────────────────────────────────────────────────────────────────────
const children = new Set<ChildProcess>();
const databases = new Set<string>();
const redisPrefixes = new Set<string>();
const closers = new Set<() => Promise<unknown>>();

process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function cleanup(): Promise<void> {
  for (const close of [...closers].reverse()) await close().catch(() => undefined);
  closers.clear();
  await Promise.all([...children].map((c) => stopChild(c)));
  if (databases.size > 0) {
    if (KEEP_DB) {
      log(`kept databases: ${[...databases].join(', ')}`);
    } else {
      const admin = new Client({ connectionString: ADMIN_URL });
      await admin.connect();
      for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
    databases.clear();
  }
  if (redisPrefixes.size > 0) {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let removed = 0;
      for (const prefix of redisPrefixes) removed += await deleteKeys(redis, `${prefix}:*`);
      log(`removed ${removed} Redis keys under ${[...redisPrefixes].join(', ')}`);
    } finally {
      redis.disconnect();
    }
    redisPrefixes.clear();
  }
}

async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Epoch milliseconds with sub-millisecond precision, comparable with Postgres and BullMQ timestamps. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

// ── the database ─────────────────────────────────────────────────────────────────────────────────────────────

async function createDatabase(): Promise<string> {
  const name = `shelterlink_bench_wf_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
        databases.add(name);
        return name;
      } catch (error) {
        // a test run cloning the template at the same instant: wait and retry
        if (attempt >= 50 || !String((error as Error).message).includes('being accessed')) throw error;
        await sleep(100 + Math.random() * 200);
      }
    }
  } finally {
    await admin.end();
  }
}

// ── the API and the worker as separate processes ─────────────────────────────────────────────────────────────

interface Proc {
  name: string;
  child: ChildProcess;
  /** The last output (warnings and errors only: LOG_LEVEL=warn), for start-up failures. */
  output: () => string;
  /** Log lines by level and message, e.g. `warn OutboxService: outbox relay deferred to the worker` → 12. */
  messages: Map<string, number>;
}

const LEVELS: Record<string, string> = { '30': 'info', '40': 'warn', '50': 'error', '60': 'fatal' };

function startProcess(name: string, script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [path.join(DIST, script)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  let partial = '';
  const messages = new Map<string, number>();
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (output.length > 20_000) output = output.slice(-20_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      const context = /"context":"([^"]*)"/.exec(line)?.[1];
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 120);
      const key = `${LEVELS[level ?? ''] ?? 'other'} ${context ? `${context}: ` : ''}${msg}`;
      messages.set(key, (messages.get(key) ?? 0) + 1);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, output: () => output, messages };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
  children.delete(child);
}

function appEnv(database: string, prefix: string, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    GRAPHQL_INTROSPECTION: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: appDbUrl(database),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    SCHEMA_FILE: 'memory',
  };
}

async function waitForApi(api: Proc, url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`API exited: ${api.output()}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`API did not become ready: ${api.output()}`);
    await sleep(100);
  }
}

/** The worker is ready once its BullMQ worker on the referrals queue is registered in Redis. */
async function waitForWorker(worker: Proc, prefix: string): Promise<void> {
  const queue = new Queue('referrals', { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${prefix}:bull` });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
      if ((await queue.getWorkers()).length > 0) return;
      if (Date.now() > deadline) throw new Error(`worker did not become ready: ${worker.output()}`);
      await sleep(100);
    }
  } finally {
    await queue.close();
  }
}

// ── GraphQL over HTTP ────────────────────────────────────────────────────────────────────────────────────────
class StepError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/** node:http with keep-alive: a cheaper client than fetch, so the load generator takes less of the 2 cores. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const REQUEST_TIMEOUT_MS = 30_000;

function postJson(url: string, payload: string, token: string | null): Promise<any> {
  const target = new URL(`${url}/graphql`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString()));
          } catch {
            reject(new Error(`HTTP ${res.statusCode}: not JSON`));
          }
        });
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function call(
  url: string,
  step: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<any> {
  let body: any;
  try {
    body = await postJson(url, JSON.stringify({ query, variables }), token);
  } catch (error) {
    throw new StepError(step, `HTTP: ${(error as Error).message}`);
  }
  if (body.errors?.length || !body.data) {
    const e = body.errors?.[0];
    throw new StepError(step, `${e?.extensions?.code ?? 'ERROR'}: ${e?.message ?? JSON.stringify(body)}`);
  }
  return Object.values(body.data)[0];
}

// ── offer notices over graphql-ws, by referral ───────────────────────────────────────────────────────────────
interface Notice {
  at: number;
  offerId: string;
  shelterId: string;
}

class NoticeBoard {
  private readonly arrived = new Map<string, Notice>();
  private readonly waiters = new Map<string, (notice: Notice) => void>();
  received = 0;
  errors: unknown[] = [];

  deliver(value: any): void {
    const at = now();
    const n = value?.data?.offerReceived;
    if (!n) {
      this.errors.push(value?.errors ?? value);
      return;
    }
    this.received++;
    const notice = { at, offerId: n.offerId as string, shelterId: n.shelterId as string };
    const waiter = this.waiters.get(n.referralId);
    if (waiter) {
      this.waiters.delete(n.referralId);
      waiter(notice);
    } else {
      this.arrived.set(n.referralId, notice);
    }
  }

  wait(referralId: string, timeoutMs: number): Promise<Notice> {
    const early = this.arrived.get(referralId);
    if (early) {
      this.arrived.delete(referralId);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(referralId);
        reject(new StepError('offer', `no offerReceived notice within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiters.set(referralId, (notice) => {
        clearTimeout(timer);
        resolve(notice);
      });
    });
  }
}

async function subscribeOffers(
  url: string,
  token: string,
  shelterIds: string[],
  prefix: string,
  board: NoticeBoard,
): Promise<WsClient> {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
  closers.add(async () => client.dispose());
  for (const shelterId of shelterIds) {
    client.subscribe(
      { query: OFFER_RECEIVED, variables: { shelterId } },
      {
        next: (value) => board.deliver(value),
        error: (error) => board.errors.push(error),
        complete: () => undefined,
      },
    );
  }
  // subscribed once every shelter's Redis channel has a subscriber (the API subscribes on demand)
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const channels = shelterIds.map((id) => `${prefix}:offer-received:${id}`);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const reply = (await redis.call('PUBSUB', 'NUMSUB', ...channels)) as (string | number)[];
      let ready = 0;
      for (let i = 1; i < reply.length; i += 2) if (Number(reply[i]) > 0) ready++;
      if (ready === channels.length) return client;
      if (board.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(board.errors[0])}`);
      if (Date.now() > deadline) throw new Error(`only ${ready} of ${channels.length} offer subscriptions started`);
      await sleep(50);
    }
  } finally {
    redis.disconnect();
  }
}

// ── one referral through the workflow ────────────────────────────────────────────────────────────────────────
interface Flow {
  start: number;
  submitted?: number;
  /** t0: just before recordConsent is sent. */
  consentSent?: number;
  consentDone?: number;
  /** t1: the offerReceived notice arrived. */
  offered?: number;
  accepted?: number;
  placed?: number;
  referralId?: string;
  failedStep?: string;
  error?: string;
}

interface Ctx {
  url: string;
  advocate: string;
  staff: string;
  countyId: string;
  board: NoticeBoard;
}

function needs() {
  const side = Math.ceil(Math.sqrt(SHELTERS)) * 0.01;
  const location =
    LOCATIONS === 'same'
      ? ORIGIN
      : {
          latitude: ORIGIN.latitude + (Math.random() - 0.5) * side,
          longitude: ORIGIN.longitude + (Math.random() - 0.5) * side,
        };
  return {
    age: 30,
    gender: 'WOMAN',
    traffickingTypes: ['SEX'],
    languages: ['en'],
    urgency: 'TONIGHT',
    location,
    radiusKm: 200,
  };
}

/** Fills in `flow` as the referral advances, so a flow still running at a phase's deadline shows how far it got. */
async function driveReferral(ctx: Ctx, flow: Flow = { start: now() }): Promise<Flow> {
  try {
    const referral = await call(
      ctx.url,
      'submit',
      SUBMIT,
      { input: { regionId: ctx.countyId, needs: needs() } },
      ctx.advocate,
    );
    flow.referralId = referral.id as string;
    flow.submitted = now();
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    flow.consentSent = now();
    await call(
      ctx.url,
      'consent',
      CONSENT,
      {
        id: referral.id,
        input: { scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'], method: 'VERBAL_HOTLINE', expiresAt },
      },
      ctx.advocate,
    );
    flow.consentDone = now();
    const notice = await ctx.board.wait(referral.id as string, OFFER_TIMEOUT_MS);
    flow.offered = notice.at;
    await call(ctx.url, 'accept', ACCEPT, { id: notice.offerId }, ctx.staff);
    flow.accepted = now();
    const offer = await call(ctx.url, 'intake', INTAKE, { id: notice.offerId }, ctx.staff);
    if (offer.status !== 'ACCEPTED') throw new StepError('intake', `offer ${offer.status as string}`);
    flow.placed = now();
  } catch (error) {
    flow.failedStep = error instanceof StepError ? error.step : 'unknown';
    flow.error = (error as Error).message;
  }
  return flow;
}

// ── CPU accounting from /proc (measure.ts): where the work went, even on a busy machine ────────────────────────
const waitForQuiet = () => quietMachine(QUIET_WAIT_S, QUIET_BUSY);

async function redisPid(): Promise<number | undefined> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const info = await redis.info('server');
    const match = /process_id:(\d+)/.exec(info);
    return match ? Number(match[1]) : undefined;
  } finally {
    redis.disconnect();
  }
}

interface CpuSnapshot {
  api: number;
  worker: number;
  redis: number;
  pg: Map<number, number>;
  client: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
  load: number;
  messages: Map<string, number>;
}

interface Procs {
  api: Proc;
  worker: Proc;
  redisPid: number | undefined;
  database: string;
}

async function snapshot(p: Procs): Promise<CpuSnapshot> {
  return {
    api: processCpuMs(p.api.child.pid),
    worker: processCpuMs(p.worker.child.pid),
    redis: processCpuMs(p.redisPid),
    pg: await backendCpu(p.database),
    client: process.cpuUsage(),
    machine: machineTicks(),
    load: os.loadavg()[0],
    messages: new Map([
      ...[...p.api.messages].map(([k, v]) => [`api ${k}`, v] as const),
      ...[...p.worker.messages].map(([k, v]) => [`worker ${k}`, v] as const),
    ]),
  };
}

/** CPU milliseconds per referral in each process, and the share of all cores busy meanwhile. */
function cpuReport(p: Procs, before: CpuSnapshot, after: CpuSnapshot, count: number): string {
  const client = process.cpuUsage(before.client);
  const per = (ms: number) => fmt(ms / Math.max(1, count), 1);
  const busy = (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total);
  const total =
    after.api -
    before.api +
    (after.worker - before.worker) +
    (after.redis - before.redis) +
    cpuDelta(before.pg, after.pg) +
    (client.user + client.system) / 1000;
  const machineMs = (after.machine.busy - before.machine.busy) * TICK_MS;
  const others = Math.max(0, (machineMs - total) / Math.max(1, machineMs));
  return (
    `CPU ms per referral: API ${per(after.api - before.api)}, worker ${per(after.worker - before.worker)}, ` +
    `Postgres backends ${per(cpuDelta(before.pg, after.pg))}, Redis ${per(after.redis - before.redis)}, ` +
    `bench client ${per((client.user + client.system) / 1000)}; total ${per(total)} ` +
    `(=> at most ~${fmt((os.cpus().length * 1000) / (total / Math.max(1, count)), 0)} referrals/s on ` +
    `${os.cpus().length} cores); machine ${Math.round(busy * 100)}% busy, ${Math.round(others * 100)}% of that ` +
    `by processes outside this benchmark (other work on the machine${others > 0.15 ? ': FIGURES DISTURBED' : ''}); ` +
    `load average ${before.load.toFixed(2)} → ${after.load.toFixed(2)}` +
    [...after.messages]
      .filter(([k, v]) => v > (before.messages.get(k) ?? 0))
      .map(([k, v]) => `\nlogged meanwhile: ${v - (before.messages.get(k) ?? 0)}× ${k}`)
      .join('')
  );
}

/** Samples what this database's backends are doing (running, waiting on a lock, idle inside a transaction). */
class ActivitySampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  private constructor(
    private readonly db: Client,
    private readonly database: string,
  ) {}

  static async start(database: string, everyMs = 250): Promise<ActivitySampler> {
    const db = new Client({ connectionString: ADMIN_URL });
    await db.connect();
    const sampler = new ActivitySampler(db, database);
    sampler.timer = setInterval(() => void sampler.tick(), everyMs);
    return sampler;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.db.query<{ what: string; n: number }>(
        `SELECT state || coalesce(' ' || wait_event_type || '/' || wait_event, '') AS what, count(*)::int AS n
           FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle'
          GROUP BY 1`,
        [this.database],
      );
      this.samples++;
      for (const r of rows) this.counts.set(r.what, (this.counts.get(r.what) ?? 0) + r.n);
    } catch {
      // a missed sample
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<string> {
    clearInterval(this.timer);
    while (this.busy) await sleep(10);
    await this.db.end();
    const parts = [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([what, n]) => `${what} ${fmt(n / Math.max(1, this.samples), 2)}`);
    return `Postgres backends of the app, on average (${this.samples} samples): ${parts.join(', ') || 'none busy'}`;
  }
}

// ── statistics ───────────────────────────────────────────────────────────────────────────────────────────────
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

function fmt(x: number, digits = 0): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [n, row] of rows.entries()) {
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

function latencyRow(label: string, values: number[]): string[] {
  const s = summary(values);
  return [label, String(s.n), fmt(s.p50, 1), fmt(s.p95, 1), fmt(s.p99, 1), fmt(s.max, 1)];
}

interface PhaseResult {
  flows: Flow[];
  done: Flow[];
  elapsedS: number;
  perSecond: number;
  consentToOffer: ReturnType<typeof summary>;
}

function printPhase(label: string, flows: Flow[], startedAt: number, cpu: string): PhaseResult {
  const done = flows.filter((f) => f.placed !== undefined);
  const lastEnd = Math.max(...flows.map((f) => f.placed ?? f.start));
  const elapsedS = (lastEnd - startedAt) / 1000;
  const perSecond = done.length / elapsedS;
  const lastStart = Math.max(...flows.map((f) => f.start));
  const startRate = flows.length > 1 ? (flows.length - 1) / ((lastStart - startedAt) / 1000) : NaN;
  const consentToOffer = flows.filter((f) => f.offered !== undefined).map((f) => f.offered! - f.consentSent!);
  console.log(`\n## ${label}`);
  console.log(
    `started ${flows.length} (at ${fmt(startRate, 1)}/s), placed ${done.length}, failed ${flows.length - done.length}; ` +
      `${fmt(elapsedS, 1)} s from the first start to the last intake: ${fmt(perSecond, 1)} referrals/s`,
  );
  const failures = new Map<string, { count: number; example: string }>();
  for (const f of flows.filter((x) => x.failedStep)) {
    const key = f.failedStep!;
    const entry = failures.get(key) ?? { count: 0, example: f.error ?? '' };
    entry.count++;
    failures.set(key, entry);
  }
  for (const [step, { count, example }] of failures) console.log(`  failures at ${step}: ${count} (e.g. ${example})`);
  const rows: string[][] = [['ms', 'n', 'p50', 'p95', 'p99', 'max']];
  rows.push(latencyRow('consent → offer notice (t1 − t0)', consentToOffer));
  rows.push(
    latencyRow(
      '  submitReferral (HTTP)',
      flows.map((f) => (f.submitted ?? NaN) - f.start),
    ),
  );
  rows.push(
    latencyRow(
      '  recordConsent (HTTP)',
      flows.map((f) => (f.consentDone ?? NaN) - (f.consentSent ?? NaN)),
    ),
  );
  rows.push(
    latencyRow(
      '  consent response → notice',
      flows.map((f) => (f.offered ?? NaN) - (f.consentDone ?? NaN)),
    ),
  );
  rows.push(
    latencyRow(
      '  respondToOffer accept (HTTP)',
      flows.map((f) => (f.accepted ?? NaN) - (f.offered ?? NaN)),
    ),
  );
  rows.push(
    latencyRow(
      '  confirmIntake (HTTP)',
      flows.map((f) => (f.placed ?? NaN) - (f.accepted ?? NaN)),
    ),
  );
  rows.push(
    latencyRow(
      'whole referral (submit → placed)',
      flows.map((f) => (f.placed ?? NaN) - f.start),
    ),
  );
  printTable(rows);
  console.log(cpu);
  return { flows, done, elapsedS, perSecond, consentToOffer: summary(consentToOffer) };
}

/**
 * Where consent → offer went, per referral, from Postgres (now() is a transaction's start) and the match job's
 * BullMQ timestamps: request → consent transaction, the consent transaction (to the start of the outbox relay),
 * relay → job added, queue wait, the match job's reads and bed search, then hold transaction → notice at
 * the client (commit, relay, publish through Redis, graphql-ws).
 */
async function printBreakdown(database: string, prefix: string, flows: Flow[]): Promise<void> {
  const offered = flows.filter((f) => f.offered !== undefined && f.referralId);
  if (offered.length === 0) return;
  const db = new Client({ connectionString: dbUrl(database) });
  await db.connect();
  let rows: { id: string; consent_tx: number; relayed: number | null; offer_tx: number }[];
  try {
    ({ rows } = await db.query(
      `SELECT r.id, extract(epoch FROM c.recorded_at) * 1000 AS consent_tx,
              extract(epoch FROM ob.relayed_at) * 1000 AS relayed, extract(epoch FROM o.offered_at) * 1000 AS offer_tx
         FROM referral r
         JOIN consent c ON c.referral_id = r.id
         JOIN outbox ob ON ob.job_id = 'referral.match#' || r.id || '#1'
         JOIN offer o ON o.referral_id = r.id AND o.attempt = 1
        WHERE r.id = ANY($1::uuid[])`,
      [offered.map((f) => f.referralId)],
    ));
  } finally {
    await db.end();
  }
  const queue = new Queue('referrals', { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${prefix}:bull` });
  const jobs = new Map<string, { added: number; processed: number; finished: number }>();
  try {
    for (let i = 0; i < rows.length; i += 200) {
      await Promise.all(
        rows.slice(i, i + 200).map(async (r) => {
          const job = await queue.getJob(`referral.match#${r.id}#1`);
          if (job)
            jobs.set(r.id, {
              added: job.timestamp,
              processed: job.processedOn ?? NaN,
              finished: job.finishedOn ?? NaN,
            });
        }),
      );
    }
  } finally {
    await queue.close();
  }
  const byId = new Map(offered.map((f) => [f.referralId!, f]));
  const seg: Record<string, number[]> = {};
  const add = (name: string, value: number) => (seg[name] ??= []).push(value);
  for (const r of rows) {
    const f = byId.get(r.id)!;
    const job = jobs.get(r.id);
    const consentTx = Number(r.consent_tx);
    const relayed = r.relayed === null ? NaN : Number(r.relayed);
    const offerTx = Number(r.offer_tx);
    add('1 recordConsent request → its transaction starts', consentTx - f.consentSent!);
    add('2 consent transaction → outbox relay starts', relayed - consentTx);
    add('3 relay → match job added to BullMQ', (job?.added ?? NaN) - relayed);
    add('4 job waits in the queue', (job?.processed ?? NaN) - (job?.added ?? NaN));
    add('5 job: reads + bed search → hold transaction', offerTx - (job?.processed ?? NaN));
    add('6 hold transaction → notice at the client', f.offered! - offerTx);
    add('  6a hold transaction → match job finished', (job?.finished ?? NaN) - offerTx);
    add('  6b match job finished → notice at the client', f.offered! - (job?.finished ?? NaN));
    add('  (match job run time, processedOn → finishedOn)', (job?.finished ?? NaN) - (job?.processed ?? NaN));
    add('  (consent response → match job picked up)', (job?.processed ?? NaN) - f.consentDone!);
  }
  console.log(
    `where consent → offer went (${rows.length} referrals; Postgres and BullMQ timestamps, ms resolution; ` +
      `segments 1–6 add up to t1 − t0; 6b includes the publish, which runs before the job is marked finished):`,
  );
  const table: string[][] = [['ms', 'n', 'p50', 'p95', 'p99', 'max']];
  for (const [name, values] of Object.entries(seg)) table.push(latencyRow(name, values));
  printTable(table);
}

// ── the phases ───────────────────────────────────────────────────────────────────────────────────────────────
/**
 * Starts `count` referrals at `rate` per second, whatever the system's state (open loop). Waits for them at most
 * until `deadlineMs` after the last start; any still running then is counted as failed ('unfinished').
 */
async function openLoop(
  ctx: Ctx,
  count: number,
  rate: number,
  deadlineMs: number,
): Promise<{ flows: Flow[]; startedAt: number }> {
  const interval = 1000 / rate;
  const startedAt = now();
  const flows: Flow[] = [];
  const running: Promise<Flow>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  for (let i = 0; i < count; i++) {
    const due = startedAt + i * interval;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const flow: Flow = { start: now() };
    flows.push(flow);
    running.push(
      driveReferral(ctx, flow).finally(() => {
        inFlight--;
      }),
    );
    if (i > 0 && i % Math.max(1, Math.round(rate * 10)) === 0) log(`  started ${i}, ${inFlight} in flight`);
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(running), new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)))]);
  clearTimeout(timer);
  for (const flow of flows) {
    if (flow.placed === undefined && flow.failedStep === undefined) {
      flow.failedStep = 'unfinished';
      flow.error = `still running ${deadlineMs / 1000} s after the last start`;
    }
  }
  log(`  at most ${maxInFlight} referrals in flight`);
  return { flows, startedAt };
}

async function closedLoop(
  ctx: Ctx,
  count: number,
  concurrency: number,
  maxMs: number,
): Promise<{ flows: Flow[]; startedAt: number; cutShort: boolean }> {
  const startedAt = now();
  const flows: Flow[] = [];
  let next = 0;
  let cutShort = false;
  const loop = async () => {
    while (next < count) {
      if (now() - startedAt > maxMs) {
        cutShort = true;
        return;
      }
      next++;
      flows.push(await driveReferral(ctx));
      if (flows.length % 250 === 0) log(`  ${flows.length} done`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => loop()));
  return { flows, startedAt, cutShort };
}

interface RawResult {
  label: string;
  flows: number;
  elapsedS: number;
  perSecond: number;
  latency: ReturnType<typeof summary>;
}

/** Flows of four chained no-op jobs: each step's processor enqueues the next; the flow ends when step 4 completes. */
async function rawFlows(count: number, inFlight: number | 'all'): Promise<RawResult> {
  const prefix = `wfraw${randomBytes(4).toString('hex')}`;
  redisPrefixes.add(prefix);
  const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
  // the app's job options (libs/queue/src/job-catalogue.ts): deterministic id, retries, completed jobs kept
  const options = (jobId: string) => ({
    jobId,
    attempts: 8,
    backoff: { type: 'exponential', delay: 200 },
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
  type Data = { flow: number; step: number };
  const queue = new Queue<Data>('flows', { connection, prefix });
  const finished = new Map<number, () => void>();
  const worker = new Worker<Data>(
    'flows',
    async (job: Job<Data>) => {
      const { flow, step } = job.data;
      if (step < 4) await queue.add('step', { flow, step: step + 1 }, options(`flow:${flow}:${step + 1}`));
    },
    { connection, prefix, concurrency: RAW_WORKER_CONCURRENCY },
  );
  const close = async () => {
    await worker.close();
    await queue.close();
  };
  closers.add(close);
  let failed = 0;
  worker.on('failed', () => failed++);
  worker.on('completed', (job: Job<Data>) => {
    if (job.data.step === 4) finished.get(job.data.flow)?.();
  });
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const latencies: number[] = [];
    const runFlow = async (flow: number) => {
      const start = now();
      const done = new Promise<void>((resolve) => finished.set(flow, resolve));
      await queue.add('step', { flow, step: 1 }, options(`flow:${flow}:1`));
      await done;
      finished.delete(flow);
      latencies.push(now() - start);
    };
    const startedAt = now();
    if (inFlight === 'all') {
      await Promise.all(Array.from({ length: count }, (_, i) => runFlow(i)));
    } else {
      let next = 0;
      const loop = async () => {
        while (next < count) await runFlow(next++);
      };
      await Promise.all(Array.from({ length: inFlight }, () => loop()));
    }
    const elapsedS = (now() - startedAt) / 1000;
    if (failed > 0) log(`raw: ${failed} jobs failed`);
    return {
      label: inFlight === 'all' ? `all ${count} enqueued at once` : `closed loop, ${inFlight} flows in flight`,
      flows: count,
      elapsedS,
      perSecond: count / elapsedS,
      latency: summary(latencies),
    };
  } finally {
    closers.delete(close);
    await close();
  }
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  console.log('# referral workflow benchmark');
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ` +
      `${REFERRALS} referrals per phase; latency phase open-loop at ${RATE}/s; throughput phase closed-loop at ` +
      `${CONCURRENCY} in flight; survivors' locations: ${LOCATIONS}; ${SHELTERS} shelters × 1 SINGLE pool of ${CAPACITY}; raw BullMQ worker concurrency ` +
      `${RAW_WORKER_CONCURRENCY}; app env extras ${JSON.stringify({ both: BOTH_EXTRA_ENV, api: API_EXTRA_ENV, worker: WORKER_EXTRA_ENV })}`,
  );
  for (const app of ['api', 'worker', 'cli']) {
    const main = path.join(DIST, `apps/${app}/src/main.js`);
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nest build ${app}\` first`);
  }
  let phase1: PhaseResult | undefined;
  let phase2: PhaseResult | undefined;
  let phase2CutShort = false;

  if (PHASES.has('latency') || PHASES.has('throughput')) {
    const database = await createDatabase();
    await migrate(database, { root: ROOT, dist: DIST, children });
    const network = await seedWorkflowNetwork(dbUrl(database), SHELTERS, CAPACITY);
    log(
      `seeded ${database}: ${network.shelterIds.length} shelters, ${network.pools} pools, ${network.beds} beds ` +
        `in ${network.seconds.toFixed(1)} s`,
    );
    const prefix = `wfbench${randomBytes(4).toString('hex')}`;
    redisPrefixes.add(prefix);
    const port = await freePort();
    const base = appEnv(database, prefix, port);
    const worker = startProcess('worker', 'apps/worker/src/main.js', { ...base, ...WORKER_EXTRA_ENV });
    const api = startProcess('api', 'apps/api/src/main.js', { ...base, ...API_EXTRA_ENV });
    const url = `http://127.0.0.1:${port}`;
    await Promise.all([waitForApi(api, url), waitForWorker(worker, prefix)]);
    const [advocate, staff] = await Promise.all([
      call(url, 'login', LOGIN, { e: WF_ADVOCATE_EMAIL, p: WF_PASSWORD }, null),
      call(url, 'login', LOGIN, { e: WF_STAFF_EMAIL, p: WF_PASSWORD }, null),
    ]);
    const board = new NoticeBoard();
    await subscribeOffers(url, staff.token as string, network.shelterIds, prefix, board);
    const ctx: Ctx = { url, advocate: advocate.token, staff: staff.token, countyId: network.countyId, board };
    const procs: Procs = { api, worker, redisPid: await redisPid(), database };

    if (WARMUP > 0) {
      const warm = await closedLoop(ctx, WARMUP, Math.min(4, WARMUP), 60_000);
      const bad = warm.flows.filter((f) => f.failedStep);
      log(`warm-up: ${warm.flows.length - bad.length} of ${warm.flows.length} placed`);
      if (bad.length > 0) log(`warm-up failure: ${bad[0].failedStep}: ${bad[0].error}`);
    }

    if (PHASES.has('latency')) {
      const quiet = await waitForQuiet();
      log(`latency phase: ${REFERRALS} referrals at ${RATE}/s (machine ${Math.round(quiet * 100)}% busy before)`);
      const before = await snapshot(procs);
      const sampler = await ActivitySampler.start(database);
      const { flows, startedAt } = await openLoop(ctx, REFERRALS, RATE, LATENCY_GRACE_MS);
      const activity = await sampler.stop();
      const after = await snapshot(procs);
      phase1 = printPhase(
        `Phase 1 — latency: ${REFERRALS} referrals started open-loop at ${RATE}/s ` +
          `(machine ${Math.round(quiet * 100)}% busy before)`,
        flows,
        startedAt,
        cpuReport(procs, before, after, flows.length),
      );
      console.log(activity);
      await printBreakdown(database, prefix, flows);
    }

    if (PHASES.has('throughput')) {
      const beds = await resetPools(dbUrl(database));
      const quiet = await waitForQuiet();
      log(`throughput phase: ${REFERRALS} referrals, ${CONCURRENCY} in flight (${beds} free beds after reset)`);
      const before = await snapshot(procs);
      const sampler = await ActivitySampler.start(database);
      const { flows, startedAt, cutShort } = await closedLoop(ctx, REFERRALS, CONCURRENCY, THROUGHPUT_MAX_MS);
      const activity = await sampler.stop();
      const after = await snapshot(procs);
      phase2CutShort = cutShort;
      phase2 = printPhase(
        `Phase 2 — throughput: ${REFERRALS} referrals closed-loop, ${CONCURRENCY} in flight ` +
          `(machine ${Math.round(quiet * 100)}% busy before)${cutShort ? `; CUT SHORT after ${THROUGHPUT_MAX_MS / 1000} s` : ''}`,
        flows,
        startedAt,
        cpuReport(procs, before, after, flows.length),
      );
      console.log(activity);
      await printBreakdown(database, prefix, flows);
    }

    console.log(
      `\noffer notices received: ${board.received}; subscription errors: ${board.errors.length}` +
        (board.errors.length ? ` (e.g. ${JSON.stringify(board.errors[0])})` : ''),
    );
    for (const p of [api, worker]) {
      for (const [message, count] of p.messages) console.log(`${p.name} logged ${count}× ${message}`);
    }
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
    closers.clear();
    await Promise.all([stopChild(api.child), stopChild(worker.child)]);
  }

  const raw: RawResult[] = [];
  if (PHASES.has('raw')) {
    const quiet = await waitForQuiet();
    log(`raw BullMQ: ${REFERRALS} four-step flows (machine ${Math.round(quiet * 100)}% busy before)`);
    await rawFlows(Math.min(200, REFERRALS), CONCURRENCY); // warm-up
    raw.push(await rawFlows(REFERRALS, CONCURRENCY));
    raw.push(await rawFlows(REFERRALS, 'all'));
    console.log(
      `\n## Raw BullMQ: ${REFERRALS} flows of four chained no-op jobs, worker concurrency ${RAW_WORKER_CONCURRENCY} ` +
        `(machine ${Math.round(quiet * 100)}% busy before)`,
    );
    const rows: string[][] = [['mode', 'flows/s', 'jobs/s', 'flow p50 ms', 'flow p95 ms', 'seconds']];
    for (const r of raw) {
      rows.push([
        r.label,
        fmt(r.perSecond, 0),
        fmt(r.perSecond * 4, 0),
        fmt(r.latency.p50, 2),
        fmt(r.latency.p95, 2),
        fmt(r.elapsedS, 2),
      ]);
    }
    printTable(rows);
  }

  console.log('\n## Against the targets');
  if (phase1) {
    const p95 = phase1.consentToOffer.p95;
    const achieved = phase1.perSecond;
    console.log(
      `consent → offer p95 ${fmt(p95, 1)} ms at ${fmt(achieved, 1)} referrals/s placed (target: p95 < ${TARGET_P95_MS} ms ` +
        `at ${RATE}/s): ${p95 < TARGET_P95_MS && phase1.done.length === phase1.flows.length ? 'met' : 'MISSED'}` +
        ` (p50 ${fmt(phase1.consentToOffer.p50, 1)}, p99 ${fmt(phase1.consentToOffer.p99, 1)} ms; ` +
        `${phase1.flows.length - phase1.done.length} failed)`,
    );
  }
  if (phase2)
    console.log(`workflow throughput: ${fmt(phase2.perSecond, 1)} referrals/s${phase2CutShort ? ' (cut short)' : ''}`);
  if (raw.length > 0) {
    for (const r of raw) console.log(`raw BullMQ (${r.label}): ${fmt(r.perSecond, 0)} four-step flows/s`);
  }
  if (phase2 && raw.length > 0) {
    const ratio = phase2.perSecond / raw[0].perSecond;
    console.log(
      `ratio workflow ÷ raw (both ${CONCURRENCY} in flight): ${fmt(ratio, 4)} (target ≥ ${TARGET_RATIO}): ` +
        `${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}; against all-at-once raw: ${fmt(phase2.perSecond / raw[1].perSecond, 4)}`,
    );
  }
}

let exiting = false;
async function finish(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  try {
    await cleanup();
  } catch (error) {
    log(`cleanup failed: ${String(error)}`);
    code ||= 1;
  }
  process.exit(code);
}

const watchdog = setTimeout(() => {
  log(`timed out after ${WATCHDOG_MS / 1000} s`);
  void finish(1);
}, WATCHDOG_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(130));

main().then(
  () => finish(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return finish(1);
  },
);
