import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import { createTestDatabase, TestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-for-e2e-only-0123456789abcdef';

/** The environment a test file's API processes share: its own database and Redis key prefix. */
export interface TestEnv {
  db: TestDatabase;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const db = await createTestDatabase();
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.url,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    SCHEMA_FILE: 'memory',
    ...overrides,
  };
  return {
    db,
    env,
    cleanup: async () => {
      await db.drop();
      const redis = new Redis(env.REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Variables an earlier world of this jest process set: a later world must not inherit them. */
const assigned = new Set<string>();

/** The API in this jest process, on a real HTTP port, configured by this world's environment alone. */
export async function startApi(testEnv: TestEnv): Promise<RunningApi & { app: INestApplication }> {
  for (const key of assigned) if (!(key in testEnv.env)) delete process.env[key];
  Object.assign(process.env, testEnv.env);
  for (const key of Object.keys(testEnv.env)) assigned.add(key);
  const { createApi } = await import('../../apps/api/src/main');
  const app = await createApi();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

const ROOT = path.resolve(__dirname, '../..');

/** A separate API process from the build in dist/ (test/run.sh builds it first). */
export async function spawnApi(testEnv: TestEnv, port: number): Promise<SpawnedNode> {
  return spawnNode('dist/apps/api/src/main.js', { ...testEnv.env, PORT: String(port), HOST: '127.0.0.1' }, port);
}

/** A process started from dist/; `output()` is everything it wrote (its logs: stdout and stderr). */
export type SpawnedNode = RunningApi & { child: ChildProcess; output(): string };

export async function spawnNode(script: string, env: Record<string, string>, port?: number): Promise<SpawnedNode> {
  const child = spawn(process.execPath, [path.join(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    output += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = port ? `http://127.0.0.1:${port}` : '';
  const deadline = Date.now() + 20_000;
  if (port) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited: ${stderr}`);
      try {
        const res = await fetch(`${url}/health/ready`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${script} did not become ready: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    url,
    output: () => output,
    close: () =>
      new Promise<void>((resolve) => {
        // a process stopped by a signal keeps exitCode null: it has ended all the same
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
