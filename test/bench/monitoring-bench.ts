/**
 * `npm run bench:monitoring` (through test/bench/run.sh, which builds dist/ and compiles this to .tmp/bench/).
 * Not part of the tests. A fresh database cloned from the migrated template, seeded with 5,000 shelters (20,000
 * pools) over 50 counties of one state; then `regionCapacity` over HTTP (the API from dist/, production mode) and
 * the raw SUM … GROUP BY (`CAPACITY_SQL`, the same statement the service runs) through `pg`, in the same run, for
 * the whole state and for the counties in turn. Prints requests/s, p50/p95/p99 and the ratio.
 *
 * Environment (all optional): BENCH_SHELTERS=5000  BENCH_CONNECTIONS=8 (coordinators' dashboards at once)
 * BENCH_WRITES_PER_S=20 (count changes during the second variant)
 * BENCH_DURATION_S=10  BENCH_WARMUP_S=2  BENCH_QUIET_WAIT_S=10  BENCH_KEEP_DB=1  BENCH_DIST=dist
 * BENCH_TIMEOUT_S=600
 */
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Measurement, measureHttp, measureRaw } from './measure';
import Redis from 'ioredis';
import { BenchRun, dbUrl, gql, log, sleep } from './processes';
import { PASSWORD, seedNetwork } from './seed';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.resolve(ROOT, process.env.BENCH_DIST ?? 'dist');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SHELTERS = num('BENCH_SHELTERS', 5000);
const LOAD = {
  connections: num('BENCH_CONNECTIONS', 8),
  warmupS: num('BENCH_WARMUP_S', 2),
  durationS: num('BENCH_DURATION_S', 10),
  quietWaitS: num('BENCH_QUIET_WAIT_S', 10),
};
const COORDINATOR_EMAIL = 'bench.coordinator@example.org';
const WRITES_PER_S = num('BENCH_WRITES_PER_S', 20);
const QUERY = `query($id: ID!) {
  regionCapacity(regionId: $id) {
    regionId byType { bedType capacity occupied held outOfService available }
    beds { capacity occupied held outOfService available } surge { capacity occupied held outOfService available }
    shelters pausedShelters sheltersTakingIntakesNow staleShelters asOf
  }
}`;

const bench = new BenchRun(ROOT, DIST, process.env.BENCH_KEEP_DB === '1');

/** A coordinator for the whole state, with the seeded advocate's password. */
async function addCoordinator(database: string): Promise<{ state: string; counties: string[] }> {
  const db = new Client({ connectionString: dbUrl(database) });
  await db.connect();
  try {
    const [{ id: org }] = (
      await db.query<{ id: string }>(
        `INSERT INTO organisation (name, kind) VALUES ('Bench Coalition', 'COORDINATING_BODY') RETURNING id`,
      )
    ).rows;
    const [{ id: state }] = (await db.query<{ id: string }>(`SELECT id FROM region WHERE parent_id IS NULL`)).rows;
    const counties = (
      await db.query<{ id: string }>(`SELECT id FROM region WHERE parent_id = $1 ORDER BY code`, [state])
    ).rows;
    await db.query(
      `WITH u AS (
         INSERT INTO app_user (email, display_name, password_hash, role, organisation_id)
         SELECT $1, 'Bench Coordinator', password_hash, 'REGIONAL_COORDINATOR', $2 FROM app_user LIMIT 1 RETURNING id)
       INSERT INTO user_region (user_id, region_id) SELECT id, $3 FROM u`,
      [COORDINATOR_EMAIL, org, state],
    );
    return { state, counties: counties.map((c) => c.id) };
  } finally {
    await db.end();
  }
}

/**
 * Changes bed counts `perSecond` times a second as another process would: a pool's out-of-service count flips
 * between 0 and 1 in Postgres, then the change is announced (with its region path, as BedPoolsService does) on
 * the bed-availability channel of every region above the pool. Returns how to stop it (resolving to the number of changes made).
 */
function changeCounts(database: string, redisPrefix: string, perSecond: number): { stop: () => Promise<number> } {
  const db = new Client({ connectionString: dbUrl(database) });
  const redis = new Redis('redis://127.0.0.1:6379');
  let running = true;
  let made = 0;
  const done = (async () => {
    await db.connect();
    const pools = (
      await db.query<{ id: string; path: string[] }>(
        `SELECT p.id, g.path FROM bed_pool p JOIN shelter s ON s.id = p.shelter_id JOIN region g ON g.id = s.region_id`,
      )
    ).rows;
    while (running) {
      const started = Date.now();
      const pool = pools[made % pools.length];
      await db.query(
        `UPDATE bed_pool SET out_of_service = 1 - out_of_service WHERE id = $1 AND (out_of_service = 1 OR available > 0)`,
        [pool.id],
      );
      await Promise.all(
        pool.path.map((region) =>
          redis.publish(`${redisPrefix}:bed-availability:${region}`, JSON.stringify({ regionPath: pool.path })),
        ),
      );
      made += 1;
      await sleep(Math.max(0, 1000 / perSecond - (Date.now() - started)));
    }
    await db.end();
    redis.disconnect();
    return made;
  })();
  return {
    stop: async () => {
      running = false;
      return done;
    },
  };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function row(m: Measurement, raw: Measurement): string {
  return (
    `| ${m.label.padEnd(26)} | ${fmt(m.perSecond, 0).padStart(6)} | ${fmt(m.p50).padStart(6)} | ` +
    `${fmt(m.p95).padStart(6)} | ${fmt(m.p99).padStart(6)} | ${fmt(m.perSecond / raw.perSecond, 2).padStart(5)} | ` +
    `${String(m.errors).padStart(6)} | ${fmt(m.cpu.api, 2).padStart(7)} | ${fmt(m.cpu.postgres, 2).padStart(8)} |`
  );
}

async function main(): Promise<void> {
  const { CAPACITY_SQL } = (await import(path.join(DIST, 'libs/monitoring/src/capacity.service.js'))) as {
    CAPACITY_SQL: string;
  };
  console.log('# regionCapacity benchmark');
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}; ` +
      `${SHELTERS} shelters; ${LOAD.connections} connections, ${LOAD.durationS} s after ${LOAD.warmupS} s warm-up`,
  );
  const database = await bench.createDatabase(`mon${SHELTERS}`);
  const network = await seedNetwork(dbUrl(database), SHELTERS);
  log(`seeded ${network.shelters} shelters, ${network.pools} pools in ${network.seconds.toFixed(1)} s`);
  const { state, counties } = await addCoordinator(database);
  // the API as deployed (answers reused until a count changes), the same while counts change 20 times a second
  // (another process's changes, announced through Redis as BedPoolsService does), and computing every answer
  const variants: { name: string; env: Record<string, string>; writesPerSecond: number }[] = [
    { name: 'regionCapacity', env: {}, writesPerSecond: 0 },
    { name: `regionCapacity, ${WRITES_PER_S} count changes/s`, env: {}, writesPerSecond: WRITES_PER_S },
    { name: 'regionCapacity, no reuse', env: { REGION_CAPACITY_CACHE_MS: '0' }, writesPerSecond: 0 },
  ];
  const sets = [
    ['the state', [state]],
    ['the counties in turn', counties],
  ] as const;
  const results: { http: Measurement[]; raw: Measurement }[] = sets.map(() => ({ http: [], raw: undefined! }));
  for (const variant of variants) {
    const api = await bench.startApi(database, variant.env);
    const login = await gql(
      api.url,
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
      { e: COORDINATOR_EMAIL, p: PASSWORD },
    );
    if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);
    const token = login.data.login.token as string;
    const check = await gql(api.url, QUERY, { id: state }, token);
    if (check.data?.regionCapacity?.shelters !== SHELTERS)
      throw new Error(`unexpected answer: ${JSON.stringify(check)}`);
    for (const [i, [label, regions]] of sets.entries()) {
      log(`${variant.name}: ${label}`);
      const writer =
        variant.writesPerSecond > 0 ? changeCounts(database, api.redisPrefix, variant.writesPerSecond) : null;
      results[i].http.push(
        await measureHttp({
          ...LOAD,
          label: `${variant.name}: ${label}`,
          database,
          api,
          token,
          bodies: regions.map((id) => JSON.stringify({ query: QUERY, variables: { id } })),
          expectPrefix: '{"data":{"regionCapacity"',
        }),
      );
      if (writer) log(`${await writer.stop()} count changes made`);
    }
    await bench.stopChild(api.child);
  }
  for (const [i, [label, regions]] of sets.entries()) {
    log(`raw SQL: ${label}`);
    results[i].raw = await measureRaw({
      ...LOAD,
      label: `raw SUM … GROUP BY: ${label}`,
      database,
      jobs: regions.map((id) => [{ sql: CAPACITY_SQL, params: [id] }]),
      poolSize: LOAD.connections,
    });
  }

  console.log(
    '\n| run                        |  req/s | p50 ms | p95 ms | p99 ms | ratio | errors | API ms/req | PG ms/req |',
  );
  console.log(
    '|:---------------------------|-------:|-------:|-------:|-------:|------:|-------:|--------:|---------:|',
  );
  for (const { http, raw } of results) {
    console.log(row(raw, raw));
    for (const m of http) console.log(row(m, raw));
  }
  console.log('\nAgainst the targets (ratio ≥ 0.5, p95 < 50 ms):');
  for (const { http, raw } of results) {
    for (const m of http) {
      const ratio = m.perSecond / raw.perSecond;
      console.log(
        `- ${m.label}: ratio ${fmt(ratio, 2)} (${ratio >= 0.5 ? 'met' : 'MISSED'}), ` +
          `p95 ${fmt(m.p95)} ms (${m.p95 < 50 ? 'met' : 'MISSED'}) at ${LOAD.connections} connections`,
      );
    }
  }
}

bench.run(main, num('BENCH_TIMEOUT_S', 600) * 1000);
