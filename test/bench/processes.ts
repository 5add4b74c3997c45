import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

/** Shared by the benchmarks: database URLs, migrating a clone, and free ports for the processes they start. */
export const dbUrl = (name: string) => `postgres://postgres@127.0.0.1:5432/${name}`;
/** The application's connection (its limited role, as `migrate` grants it): what the API and the worker use. */
export const appDbUrl = (name: string) => `postgres://shelterlink_app:local-only-app-password@127.0.0.1:5432/${name}`;

/**
 * Applies any migration newer than the template to the clone (the CLI from dist/ runs only pending ones).
 * The child is tracked in `children` while it runs, so an interrupted benchmark can kill it.
 */
export async function migrate(
  database: string,
  where: { root: string; dist: string; children: Set<ChildProcess> },
): Promise<void> {
  const child = spawn(process.execPath, [path.join(where.dist, 'apps/cli/src/main.js'), 'migrate'], {
    cwd: where.root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_OWNER_URL: dbUrl(database),
      DATABASE_URL: appDbUrl(database),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  where.children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  where.children.delete(child);
  if (code !== 0) throw new Error(`migrate failed (${code}): ${stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * What one benchmark run starts and must clean up even when it fails: databases cloned from the migrated
 * template, API processes from the build, their Redis prefixes.
 */
export class BenchRun {
  readonly children = new Set<ChildProcess>();
  readonly databases = new Set<string>();
  readonly redisPrefixes = new Set<string>();
  readonly jwtSecret = `bench-secret-${randomBytes(16).toString('hex')}`;

  constructor(
    readonly root: string,
    readonly dist: string,
    private readonly keepDatabases: boolean,
  ) {
    process.on('exit', () => {
      for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
    });
  }

  /** A fresh database cloned from the migrated template, brought up to date with `migrate`. */
  async createDatabase(label: string): Promise<string> {
    const name = `shelterlink_bench_${label}_${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(
            `CREATE DATABASE ${name} TEMPLATE ${process.env.TEST_TEMPLATE_DB ?? 'shelterlink_test_tpl'}`,
          );
          this.databases.add(name);
          break;
        } catch (error) {
          // a test run cloning the template at the same instant: wait and retry
          if (attempt >= 50 || !String((error as Error).message).includes('being accessed')) throw error;
          await sleep(100 + Math.random() * 200);
        }
      }
    } finally {
      await admin.end();
    }
    await migrate(name, { root: this.root, dist: this.dist, children: this.children });
    return name;
  }

  async dropDatabase(name: string): Promise<void> {
    if (this.keepDatabases) return;
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    this.databases.delete(name);
  }

  /** The API from the build, in production mode, on `database`; resolves once /health/ready answers. */
  async startApi(
    database: string,
    env: Record<string, string>,
  ): Promise<{ url: string; child: ChildProcess; redisPrefix: string }> {
    const port = await freePort();
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    this.redisPrefixes.add(prefix);
    const child = spawn(process.execPath, [path.join(this.dist, 'apps/api/src/main.js')], {
      cwd: this.root,
      env: {
        PATH: process.env.PATH ?? '',
        // production, as deployed: libraries drop their development checks (graphql-js's among them)
        NODE_ENV: 'production',
        IDENTITY_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        WEBHOOK_SIGNING_KEY: randomBytes(32).toString('hex'),
        METRICS_TOKEN: randomBytes(24).toString('hex'),
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: appDbUrl(database),
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: prefix,
        JWT_SECRET: this.jwtSecret,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '10000000',
        SCHEMA_FILE: 'memory',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.children.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`API exited: ${stderr}`);
      try {
        if ((await fetch(`${url}/health/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`API did not become ready: ${stderr}`);
      await sleep(100);
    }
    return { url, child, redisPrefix: prefix };
  }

  async stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
      this.children.delete(child);
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
    this.children.delete(child);
  }

  async cleanup(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stopChild(c)));
    if (this.keepDatabases && this.databases.size > 0) log(`kept databases: ${[...this.databases].join(', ')}`);
    for (const name of [...this.databases]) await this.dropDatabase(name);
    this.databases.clear();
    if (this.redisPrefixes.size > 0) {
      const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        for (const prefix of this.redisPrefixes) {
          const keys = await redis.keys(`${prefix}:*`);
          if (keys.length > 0) await redis.del(...keys);
        }
      } finally {
        redis.disconnect();
      }
      this.redisPrefixes.clear();
    }
  }

  /** Runs `main`, cleans up however it ends (error, signal, watchdog), and exits. */
  run(main: () => Promise<void>, watchdogMs: number): void {
    let exiting = false;
    const finish = async (code: number) => {
      if (exiting) return;
      exiting = true;
      try {
        await this.cleanup();
      } catch (error) {
        log(`cleanup failed: ${String(error)}`);
        code ||= 1;
      }
      process.exit(code);
    };
    setTimeout(() => {
      log(`timed out after ${watchdogMs / 1000} s`);
      void finish(1);
    }, watchdogMs).unref();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(130));
    process.on('uncaughtException', (error) => {
      log(`failed: ${error.stack ?? error.message}`);
      void finish(1);
    });
    main().then(
      () => finish(0),
      (error: unknown) => {
        log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        void finish(1);
      },
    );
  }
}
