import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestEnv, RunningApi, startApi, TestEnv } from './support/app';

describe('health and start-up', () => {
  let env: TestEnv;
  let api: RunningApi;
  beforeAll(async () => {
    env = await createTestEnv();
    api = await startApi(env);
  });
  afterAll(async () => {
    await api.close();
    await env.cleanup();
  });

  it('/health/live answers without touching dependencies; /health/ready checks Postgres and Redis', async () => {
    const live = await fetch(`${api.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${api.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('refuses to start with invalid configuration, naming each bad variable but not its value', () => {
    const main = path.join(__dirname, '../dist/apps/api/src/main.js');
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'mysql://hunter2@db/x' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toMatch(/PORT: /);
    expect(result.stderr).toMatch(/DATABASE_URL: /);
    expect(result.stderr).toMatch(/JWT_SECRET: is required/);
    expect(result.stderr).not.toContain('hunter2');
  });
});
