import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { dbUrl, log, percentile, sleep } from './processes';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// ── CPU accounting from /proc (Linux), so the cost per request is known even on a busy machine ────────────
export const TICK_MS = 10; // USER_HZ is 100 on Linux

export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

async function backendPids(database: string): Promise<number[]> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows.map((r) => r.pid);
  } finally {
    await admin.end();
  }
}

/** CPU used by the database's backends between two snapshots (backends that came and went are missed). */
export async function backendCpu(database: string): Promise<Map<number, number>> {
  return new Map((await backendPids(database)).map((pid) => [pid, processCpuMs(pid)]));
}

export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) if (Number.isFinite(ms)) total += ms - (before.get(pid) ?? 0);
  return total;
}

export function machineTicks(): { busy: number; total: number } {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

async function busyShare(ms = 1000): Promise<number> {
  const a = machineTicks();
  await sleep(ms);
  const b = machineTicks();
  return (b.busy - a.busy) / (b.total - a.total);
}

/** Waits (at most `quietWaitS`) until other work leaves the cores mostly idle; returns the last share. */
export async function waitForQuiet(quietWaitS: number, quietBusy = 0.25): Promise<number> {
  const deadline = Date.now() + quietWaitS * 1000;
  let busy = await busyShare();
  while (busy > quietBusy && Date.now() < deadline) {
    log(`machine ${Math.round(busy * 100)}% busy; waiting for it to settle`);
    busy = await busyShare(2000);
  }
  return busy;
}

export class Samples {
  private values = new Float64Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
  sorted(): Float64Array {
    return this.values.slice(0, this.length).sort();
  }
}

export interface Measurement {
  label: string;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  count: number;
  errors: number;
  /** CPU milliseconds per request: the API process, the database's backends, this process (load generator). */
  cpu: { api: number; postgres: number; client: number };
  /** Share of both cores busy in the second before the run (other work on the machine skews the numbers). */
  busyBefore: number;
}

interface Load {
  label: string;
  database: string;
  connections: number;
  warmupS: number;
  durationS: number;
  quietWaitS: number;
}

/**
 * POSTs `bodies` in turn to the API's /graphql at `connections` connections (after a warm-up, once the machine is
 * quiet); an answer counts when it starts with `expectPrefix` and carries no errors.
 */
export async function measureHttp(
  o: Load & { api: { url: string; child: ChildProcess }; token: string; bodies: string[]; expectPrefix: string },
): Promise<Measurement> {
  const run = async (seconds: number) => {
    let next = 0;
    const latencies = new Samples();
    let bad = 0;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: `${o.api.url}/graphql`,
          connections: o.connections,
          duration: seconds,
          timeout: 10,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` },
          requests: [
            {
              method: 'POST',
              path: '/graphql',
              setupRequest: (req) => ({ ...req, body: o.bodies[next++ % o.bodies.length] }),
            },
          ],
          verifyBody: (raw) => {
            const body = String(raw ?? '');
            return body.startsWith(o.expectPrefix) && !body.includes('"errors"');
          },
        },
        (error: Error | null, r) => (error ? reject(error) : resolve(r)),
      );
      instance.on('response', (_client, status, _bytes, ms) => {
        if (status === 200) latencies.push(ms);
        else bad++;
      });
    });
    return { result, latencies, bad };
  };
  await run(o.warmupS);
  const busyBefore = await waitForQuiet(o.quietWaitS);
  const apiBefore = processCpuMs(o.api.child.pid);
  const pgBefore = await backendCpu(o.database);
  const clientBefore = process.cpuUsage();
  const { result, latencies, bad } = await run(o.durationS);
  const client = process.cpuUsage(clientBefore);
  const pgAfter = await backendCpu(o.database);
  const apiMs = processCpuMs(o.api.child.pid) - apiBefore;
  const sorted = latencies.sorted();
  const n = latencies.length;
  return {
    label: o.label,
    perSecond: (n - result.mismatches) / result.duration,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    count: n,
    errors: bad + result.errors + result.timeouts + result.mismatches,
    cpu: {
      api: apiMs / n,
      postgres: cpuDelta(pgBefore, pgAfter) / n,
      client: (client.user + client.system) / 1000 / n,
    },
    busyBefore,
  };
}

/** The same work as raw SQL through `pg`: each job's statements in turn, `connections` loops at once. */
export async function measureRaw(
  o: Load & { jobs: { sql: string; params: unknown[] }[][]; poolSize: number },
): Promise<Measurement> {
  // the same session settings as the app's pool (libs/database/src/data-source-options.ts)
  const pool = new Pool({ connectionString: dbUrl(o.database), max: o.poolSize, options: '-c jit=off' });
  // an idle client's connection dropped (e.g. the database was dropped under us): the next query fails and says so
  pool.on('error', (error) => log(`raw pool: ${error.message}`));
  try {
    const run = async (seconds: number) => {
      const latencies = new Samples();
      let next = 0;
      const end = performance.now() + seconds * 1000;
      const worker = async () => {
        while (performance.now() < end) {
          const job = o.jobs[next++ % o.jobs.length];
          const started = performance.now();
          for (const q of job) await pool.query(q.sql, q.params);
          latencies.push(performance.now() - started);
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: o.connections }, worker));
      return { latencies, seconds: (performance.now() - started) / 1000 };
    };
    await run(o.warmupS);
    const busyBefore = await waitForQuiet(o.quietWaitS);
    const pgBefore = await backendCpu(o.database);
    const clientBefore = process.cpuUsage();
    const { latencies, seconds } = await run(o.durationS);
    const client = process.cpuUsage(clientBefore);
    const pgAfter = await backendCpu(o.database);
    const sorted = latencies.sorted();
    const n = latencies.length;
    return {
      label: o.label,
      perSecond: n / seconds,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      count: n,
      errors: 0,
      cpu: { api: 0, postgres: cpuDelta(pgBefore, pgAfter) / n, client: (client.user + client.system) / 1000 / n },
      busyBefore,
    };
  } finally {
    await pool.end();
  }
}
