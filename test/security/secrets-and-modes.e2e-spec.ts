import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@shelterlink/config';
import { createTestEnv, freePort, SpawnedNode, spawnNode, TestEnv } from '../support/app';
import { Fixtures } from '../support/fixtures';
import { gql } from '../support/gql';

/**
 * No published secret ever stands in silently: without development mode asked for explicitly, the API and the
 * worker refuse to start without real secrets; development mode serves loopback only; a token signed with the
 * published development secret is refused by a real deployment; the demo's loader refuses production; and
 * production gives strangers no map of the schema ("Did you mean …?", introspection).
 */
const ROOT = path.resolve(__dirname, '../..');
const run = (script: string, env: Record<string, string>, args: string[] = []) =>
  spawnSync(process.execPath, [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

const REAL_SECRETS = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  IDENTITY_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  WEBHOOK_SIGNING_KEY: randomBytes(32).toString('hex'),
  METRICS_TOKEN: randomBytes(24).toString('hex'),
};

describe('secrets and modes', () => {
  let testEnv: TestEnv;
  let fx: Fixtures;
  let adminId: string;
  let production: SpawnedNode;
  let development: SpawnedNode;
  const base = () => {
    const { NODE_ENV: _mode, JWT_SECRET: _secret, ...rest } = testEnv.env;
    return rest;
  };

  beforeAll(async () => {
    testEnv = await createTestEnv();
    fx = new Fixtures(testEnv.db.url);
    adminId = await fx.user('admin@example.org', 'ADMIN', null);
    const api = async (env: Record<string, string>) => {
      const port = await freePort();
      return spawnNode('dist/apps/api/src/main.js', { ...base(), ...env, PORT: String(port) }, port);
    };
    production = await api({ ...REAL_SECRETS, NODE_ENV: 'production', HOST: '127.0.0.1' });
    development = await api({ NODE_ENV: 'development' });
  });
  afterAll(async () => {
    await production?.close();
    await development?.close();
    await fx?.close();
    await testEnv?.cleanup();
  });

  it.each([
    ['the API', 'dist/apps/api/src/main.js'],
    ['the worker', 'dist/apps/worker/src/main.js'],
  ])('%s refuses to start without real secrets when NODE_ENV is unset', (_label, script) => {
    const result = run(script, base());
    expect(result.status).toBe(1);
    for (const name of ['JWT_SECRET', 'IDENTITY_KEYS', 'WEBHOOK_SIGNING_KEY', 'METRICS_TOKEN']) {
      expect(result.stderr).toContain(`${name}: is required`);
    }
  });

  it('development mode serves loopback only', () => {
    const result = run('dist/apps/api/src/main.js', { ...base(), NODE_ENV: 'development', HOST: '0.0.0.0' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/HOST: development and test mode serve this machine only/);
  });

  it('a token signed with the published development secret is refused by a real deployment', async () => {
    const developmentSecret = new AppConfig({ NODE_ENV: 'development' }).jwtSecret;
    const forged = new JwtService({ secret: developmentSecret }).sign({ sub: adminId }, { expiresIn: 600 });
    const r = await gql(production.url, `{ me { id role } }`, {}, forged);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.data ?? null).toBeNull();
  });

  it('seed-demo refuses to run in production and writes nothing', async () => {
    const result = run('dist/apps/cli/src/main.js', { ...base(), ...REAL_SECRETS, NODE_ENV: 'production' }, [
      'seed-demo',
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/seed-demo refuses to run in production/);
    expect(await fx.count('app_user', `email = 'demo.admin@example.org'`)).toBe(0);
    expect(await fx.count('shelter')).toBe(0);
  });

  it('production gives no "Did you mean" and no introspection; development does', async () => {
    const typo = `{ regionz { id } }`;
    const prod = await gql(production.url, typo);
    expect(prod.errors?.[0]?.message).toBe('Cannot query field "regionz" on type "Query".');
    const dev = await gql(development.url, typo);
    expect(dev.errors?.[0]?.message).toMatch(/Did you mean "regions"\?/);
    const schema = await gql(production.url, `{ __schema { queryType { name } } }`);
    expect(schema.data ?? null).toBeNull();
  });

  it('production answers /metrics only with its token; without one it does not start', async () => {
    expect((await fetch(`${production.url}/metrics`)).status).toBe(404);
    const wrong = await fetch(`${production.url}/metrics`, { headers: { authorization: 'Bearer wrong-token' } });
    expect(wrong.status).toBe(404);
    const scraper = await fetch(`${production.url}/metrics`, {
      headers: { authorization: `Bearer ${REAL_SECRETS.METRICS_TOKEN}` },
    });
    expect(scraper.status).toBe(200);
    expect(await scraper.text()).toContain('shelterlink_');
    const { METRICS_TOKEN: _token, ...others } = REAL_SECRETS;
    const result = run('dist/apps/api/src/main.js', { ...base(), ...others, NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('METRICS_TOKEN: is required');
    expect(result.stderr).not.toContain('JWT_SECRET');
  });
});
