/**
 * `npm run bench:search` (through test/bench/run.sh, which builds dist/ and compiles this to .tmp/bench/).
 * Not part of the tests. For each network size: a fresh database cloned from the migrated template, seeded with
 * set-based SQL; then `searchBeds` over HTTP at 32 connections (Nest + Apollo on Express, then on Fastify, each
 * a separate API process from dist/) and the same SQL through `pg` directly, all in this run, so the printed
 * ratios compare like with like. Timing targets live only here, as ratios against the raw baseline.
 *
 * Environment (all optional): BENCH_SIZES=1000,5000,20000  BENCH_DURATION_S=10  BENCH_WARMUP_S=2
 * BENCH_CONNECTIONS=32  BENCH_ADAPTERS=express,fastify  BENCH_PROFILES=50  BENCH_RAW_POOL=32
 * BENCH_API_POOL=20 (the API's DATABASE_POOL_SIZE)  BENCH_KEEP_DB=1 (keep the databases, print their names)
 * BENCH_API_<VAR>=value passes <VAR>=value to the API processes (e.g. BENCH_API_SEARCH_CANDIDATE_LIMIT=200; the raw
 * baseline then uses the same limit)  BENCH_QUIET_WAIT_S=10 (before each measurement, wait at most this long for
 * other work to leave the cores under 25% busy)  BENCH_TIMEOUT_S=900 (stop and clean up after this long)
 * BENCH_DIST=dist (another build to measure, e.g. a copy of dist/ with a proposed change).
 * Besides req/s and latency it prints the CPU time each request cost in the API process, in the database's
 * backends and in this process (the load generator, or the pg client for the raw baseline), read from /proc.
 */
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { BenchNeeds, needsProfiles } from './profiles';
import { ADVOCATE_EMAIL, BED_TYPES_PER_SHELTER, GRID, PASSWORD, seedNetwork, SeededNetwork } from './seed';
import { Measurement, measureHttp, measureRaw } from './measure';
import { BenchRun, dbUrl, gql, log } from './processes';

const ROOT = path.resolve(__dirname, '../..');
/** The build to measure (API, CLI and the search statement): dist/ unless BENCH_DIST names another. */
const DIST = path.resolve(ROOT, process.env.BENCH_DIST ?? 'dist');

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map((s) => Number(s.trim()));
const DURATION_S = numberEnv('BENCH_DURATION_S', 10);
const WARMUP_S = numberEnv('BENCH_WARMUP_S', 2);
const CONNECTIONS = numberEnv('BENCH_CONNECTIONS', 32);
const PROFILE_COUNT = numberEnv('BENCH_PROFILES', 50);
const RAW_POOL = numberEnv('BENCH_RAW_POOL', 32);
const API_POOL = numberEnv('BENCH_API_POOL', 20);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',').map((s) => s.trim());
const KEEP_DB = process.env.BENCH_KEEP_DB === '1';
const QUIET_WAIT_S = Number(process.env.BENCH_QUIET_WAIT_S ?? 10);
const API_EXTRA_ENV = Object.fromEntries(
  Object.entries(process.env)
    .filter(([k, v]) => k.startsWith('BENCH_API_') && k !== 'BENCH_API_POOL' && v !== undefined)
    .map(([k, v]) => [k.slice('BENCH_API_'.length), v as string]),
);
const CANDIDATE_LIMIT = Number(API_EXTRA_ENV.SEARCH_CANDIDATE_LIMIT ?? 400);
const FIRST = 10;
/** The whole run stops (and cleans up) after this long, whatever happens. */
const WATCHDOG_MS = numberEnv('BENCH_TIMEOUT_S', 900) * 1000;

const SEARCH = `query Search($needs: NeedsInput!, $first: Int!) {
  searchBeds(needs: $needs, first: $first) {
    matches {
      rank poolId bedType available distanceKm stale acceptingIntakesNow languageViaInterpretation servicesMissing
      availabilityVerifiedAt
      shelter { id name city regionId holdMinutes responseMinutes services approximateLocation { latitude longitude } }
    }
    examinedShelters excludedShelters exclusions { reason shelters }
  }
}`;

/** The service looks further out when its first window was full and held fewer than `first` matches. */
const widens = (o: { examined: number; excluded: number }) =>
  o.examined >= CANDIDATE_LIMIT && o.examined - o.excluded < FIRST;

interface StatementOptions {
  limit: number;
  first: number;
  now: Date;
  staleBefore: Date;
}
interface WindowEndRow {
  last_distance: number | null;
  last_id: string;
  last_verified: string;
}
type Statement = { sql: string; params: unknown[] };
/** bed-search.service.ts's statement builders, loaded from the build being measured. */
interface Statements {
  searchStatement: (needs: BenchNeeds, options: StatementOptions) => Statement;
  widerStatement: (
    needs: BenchNeeds,
    options: StatementOptions & { after: { distance: number | null; id: string; verified: string } },
  ) => Statement;
}
/** The API's default STALE_AFTER_MINUTES: the raw statement marks staleness as the API does. */
const STALE_AFTER_MS = 24 * 60 * 60_000;

const bench = new BenchRun(ROOT, DIST, KEEP_DB);

type Api = Awaited<ReturnType<BenchRun['startApi']>>;

async function startApi(database: string, adapter: string) {
  return bench.startApi(database, { HTTP_ADAPTER: adapter, DATABASE_POOL_SIZE: String(API_POOL), ...API_EXTRA_ENV });
}

async function login(url: string): Promise<string> {
  const r = await gql(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
    e: ADVOCATE_EMAIL,
    p: PASSWORD,
  });
  if (!r.data) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
  return r.data.login.token as string;
}

// ── measurements (measure.ts) ─────────────────────────────────────────────────────────────────────────────
const LOAD = { connections: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S, quietWaitS: QUIET_WAIT_S };

/** Before measuring: every profile once, checking the answer and noting what the search did. */
interface ProfileOutcome {
  matches: number;
  examined: number;
  excluded: number;
}

async function checkProfiles(api: Api, token: string, profiles: BenchNeeds[]): Promise<ProfileOutcome[]> {
  const outcomes: ProfileOutcome[] = [];
  for (const needs of profiles) {
    const r = await gql(api.url, SEARCH, { needs, first: FIRST }, token);
    if (!r.data) throw new Error(`searchBeds failed: ${JSON.stringify(r.errors)}`);
    const s = r.data.searchBeds;
    outcomes.push({ matches: s.matches.length, examined: s.examinedShelters, excluded: s.excludedShelters });
  }
  return outcomes;
}

function runHttp(label: string, database: string, api: Api, token: string, profiles: BenchNeeds[]) {
  const bodies = profiles.map((needs) => JSON.stringify({ query: SEARCH, variables: { needs, first: FIRST } }));
  return measureHttp({ ...LOAD, label, database, api, token, bodies, expectPrefix: '{"data":{"searchBeds"' });
}

/** The statements the API issues for each profile: the first pass, and the walk further out when it ran. */
type Job = { sql: string; params: unknown[] }[];

function runRaw(database: string, jobs: Job[]) {
  return measureRaw({ ...LOAD, label: 'raw SQL (pg)', database, jobs, poolSize: RAW_POOL });
}

// ── reporting ────────────────────────────────────────────────────────────────────────────────────────────────
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

interface SizeResult {
  size: number;
  network: SeededNetwork;
  raw: Measurement;
  http: Map<string, Measurement>;
  outcomes: ProfileOutcome[];
}

function printSize(r: SizeResult): void {
  const widened = r.outcomes.filter(widens).length;
  const examined = r.outcomes.reduce((s, o) => s + o.examined, 0) / r.outcomes.length;
  const matchRate =
    r.outcomes.reduce((s, o) => s + (o.examined === 0 ? 0 : (o.examined - o.excluded) / o.examined), 0) /
    r.outcomes.length;
  const short = r.outcomes.filter((o) => o.matches < FIRST).length;
  console.log('');
  console.log(
    `## ${r.network.shelters.toLocaleString('en-US')} shelters, ${r.network.pools.toLocaleString('en-US')} pools, ` +
      `${r.network.regions - 1} county regions (seeded in ${fmt(r.network.seconds)} s)`,
  );
  console.log(
    `profiles: ${r.outcomes.length}; examined per search: mean ${fmt(examined, 0)}; eligible with a free bed: ` +
      `mean ${fmt(matchRate * 100, 0)}% of examined; further out (the next ${CANDIDATE_LIMIT * 9}, ` +
      `walked until ${FIRST} match): ${widened}/${r.outcomes.length} profiles; fewer than ${FIRST} matches: ` +
      `${short}/${r.outcomes.length}`,
  );
  const rows: string[][] = [
    [
      'run',
      'req/s',
      'p50 ms',
      'p99 ms',
      'ratio (req/s ÷ raw q/s)',
      'requests',
      'errors',
      'CPU ms/req: API',
      'Postgres',
      'load generator',
      'busy before',
    ],
  ];
  const row = (m: Measurement, ratio: string, api: string) => [
    m.label,
    fmt(m.perSecond, 0),
    fmt(m.p50, 2),
    fmt(m.p99, 2),
    ratio,
    String(m.count),
    String(m.errors),
    api,
    fmt(m.cpu.postgres, 2),
    fmt(m.cpu.client, 2),
    `${fmt(m.busyBefore * 100, 0)}%`,
  ];
  rows.push(row(r.raw, '1.00', '-'));
  for (const m of r.http.values()) rows.push(row(m, fmt(m.perSecond / r.raw.perSecond, 2), fmt(m.cpu.api, 2)));
  printTable(rows);
}

function printSummary(results: SizeResult[]): void {
  console.log('');
  console.log('## Summary');
  const first = results[0];
  const last = results[results.length - 1];
  const target = results.find((r) => r.size === 5000) ?? results[Math.floor(results.length / 2)];
  const rows: string[][] = [
    [
      'adapter',
      ...results.map((r) => `ratio @${r.size / 1000}k`),
      `p99 @${target.size / 1000}k ms`,
      `p50 ${first.size / 1000}k→${last.size / 1000}k`,
      `raw p50 ${first.size / 1000}k→${last.size / 1000}k`,
      'targets (ratio ≥ 0.6, p99 < 50 ms, p50 growth ≤ 2×)',
    ],
  ];
  const rawGrowth = last.raw.p50 / first.raw.p50;
  for (const adapter of ADAPTERS) {
    const ratios = results.map((r) => (r.http.get(adapter)?.perSecond ?? NaN) / r.raw.perSecond);
    const t = target.http.get(adapter);
    const growth = (last.http.get(adapter)?.p50 ?? NaN) / (first.http.get(adapter)?.p50 ?? NaN);
    const targetRatio = (t?.perSecond ?? NaN) / target.raw.perSecond;
    const verdict = [
      `ratio ${targetRatio >= 0.6 ? 'met' : 'MISSED'}`,
      `p99 ${(t?.p99 ?? Infinity) < 50 ? 'met' : 'MISSED'}`,
      `growth ${growth <= 2 ? 'met' : 'MISSED'}`,
    ].join(', ');
    rows.push([
      adapter,
      ...ratios.map((x) => fmt(x, 2)),
      fmt(t?.p99 ?? NaN, 1),
      `${fmt(growth, 2)}×`,
      `${fmt(rawGrowth, 2)}×`,
      verdict,
    ]);
  }
  printTable(rows);
  const total = (adapter: string) => results.reduce((s, r) => s + (r.http.get(adapter)?.perSecond ?? 0), 0);
  const ranked = [...ADAPTERS].sort((a, b) => total(b) - total(a));
  if (ranked.length > 1) {
    const perSize = results
      .map((r) => {
        const a = r.http.get(ranked[0])?.perSecond ?? NaN;
        const b = r.http.get(ranked[1])?.perSecond ?? NaN;
        return `${r.size / 1000}k ${fmt(a / b, 2)}×`;
      })
      .join(', ');
    console.log(`faster adapter: ${ranked[0]} (req/s over ${ranked[1]}: ${perSize})`);
  }
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────────────────
async function benchSize(size: number, { searchStatement, widerStatement }: Statements): Promise<SizeResult> {
  const database = await bench.createDatabase(String(size));
  log(`${size} shelters: seeding ${database}`);
  const network = await seedNetwork(dbUrl(database), size);
  if (network.pools !== size * BED_TYPES_PER_SHELTER || network.regions !== GRID.columns * GRID.rows + 1) {
    throw new Error(
      `seeding produced ${network.shelters} shelters, ${network.pools} pools, ${network.regions} regions`,
    );
  }
  const profiles = needsProfiles(PROFILE_COUNT, network.countyIds);
  const http = new Map<string, Measurement>();
  let outcomes: ProfileOutcome[] | null = null;
  for (const adapter of ADAPTERS) {
    log(`${size} shelters: ${adapter} (load average ${os.loadavg()[0].toFixed(2)})`);
    const api = await startApi(database, adapter);
    try {
      const token = await login(api.url);
      const checked = await checkProfiles(api, token, profiles);
      outcomes ??= checked;
      http.set(adapter, await runHttp(`${adapter} + Apollo`, database, api, token, profiles));
    } finally {
      await bench.stopChild(api.child);
    }
  }
  if (!outcomes) throw new Error('no adapter ran');
  // the API's statements for each profile; the walk further out starts where the first statement's window ends
  const probe = new Client({ connectionString: dbUrl(database) });
  await probe.connect();
  const jobs: Job[] = [];
  try {
    for (const [i, needs] of profiles.entries()) {
      const now = new Date();
      const options = {
        first: FIRST,
        now,
        staleBefore: new Date(now.getTime() - STALE_AFTER_MS),
        limit: CANDIDATE_LIMIT,
      };
      const first = searchStatement(needs, options);
      const job = [first];
      if (widens(outcomes[i])) {
        const { rows } = await probe.query<WindowEndRow>(first.sql, first.params);
        const after = { distance: rows[0].last_distance, id: rows[0].last_id, verified: rows[0].last_verified };
        job.push(widerStatement(needs, { ...options, after }));
      }
      jobs.push(job);
    }
  } finally {
    await probe.end();
  }
  log(`${size} shelters: raw SQL (load average ${os.loadavg()[0].toFixed(2)})`);
  const raw = await runRaw(database, jobs);
  await bench.dropDatabase(database);
  const result: SizeResult = { size, network, raw, http, outcomes };
  printSize(result);
  return result;
}

async function main(): Promise<void> {
  const modulePath = path.join(DIST, 'libs/shelters/src/search/bed-search.service.js');
  const statements = (await import(modulePath)) as Statements;
  console.log(`# searchBeds benchmark (${path.relative(ROOT, DIST)})`);
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}; ` +
      `${CONNECTIONS} connections, ${DURATION_S} s measured after ${WARMUP_S} s warm-up; ` +
      `${PROFILE_COUNT} rotating needs profiles (radius 150 km, first ${FIRST}); ` +
      `API: NODE_ENV=production, DATABASE_POOL_SIZE=${API_POOL}, SEARCH_CANDIDATE_LIMIT=${CANDIDATE_LIMIT}` +
      `${Object.keys(API_EXTRA_ENV).length ? `, ${JSON.stringify(API_EXTRA_ENV)}` : ''}; ` +
      `raw: pg.Pool max ${RAW_POOL}, jit=off, ${CONNECTIONS} concurrent loops`,
  );
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await benchSize(size, statements));
  if (results.length > 1) printSummary(results);
}

bench.run(main, WATCHDOG_MS);
