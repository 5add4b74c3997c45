import { spawnApi, freePort, SpawnedNode } from '../support/app';
import { login } from '../support/gql';
import { PASSWORD } from '../support/fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { createWorld, World } from '../support/world';
import { eventually } from '../referrals/harness';

/**
 * Postgres out of reach, for one API process only (it reaches Postgres through a proxy that drops every
 * connection): answers are 503 SERVICE_UNAVAILABLE with Retry-After, readiness fails, and the log says so in one
 * line, not a stack trace per request; when Postgres is back, so is the API, by itself.
 */
describe('a database outage', () => {
  let w: World;
  let proxy: TcpProxy;
  let api: SpawnedNode;

  const post = (query: string, token?: string, variables: Record<string, unknown> = {}) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });

  beforeAll(async () => {
    w = await createWorld();
    proxy = new TcpProxy(5432);
    const port = await proxy.start();
    const url = new URL(w.env.env.DATABASE_URL);
    url.port = String(port);
    api = await spawnApi(
      { ...w.env, env: { ...w.env.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'info' } },
      await freePort(),
    );
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.close();
    await w?.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, fails readiness, logs one line, and recovers by itself', async () => {
    const token = await login(api.url, 'staff.a@example.org', PASSWORD);
    const logBefore = api.output().length;
    proxy.set('refuse');

    for (let i = 0; i < 5; i++) {
      const me = await post(`{ me { id } }`, token);
      expect(me.status).toBe(503);
      expect(me.headers.get('retry-after')).toBe('5');
      const body: any = await me.json();
      expect(body.errors[0].extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        reason: 'DATABASE_UNAVAILABLE',
        retryAfterSeconds: 5,
      });
    }
    const change = await post(`mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id } }`, token, {
      i: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' },
    });
    expect(change.status).toBe(503);
    const signIn = await post(`mutation { login(email: "staff.a@example.org", password: "${PASSWORD}") { token } }`);
    expect(((await signIn.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    for (let i = 0; i < 3; i++) {
      const ready = await fetch(`${api.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('5');
      expect(await ready.json()).toMatchObject({ status: 'error', details: { postgres: { status: 'down' } } });
    }

    proxy.set('open');
    await eventually('the API to be ready again', async () => (await fetch(`${api.url}/health/ready`)).ok);
    const me = await post(`{ me { id } }`, token);
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).data.me.id).toBe(w.users.staffA);

    const log = api.output().slice(logBefore);
    expect(log).not.toMatch(/\n\s+at /);
    expect(log).not.toMatch(/"level":50/);
    const lines = (pattern: RegExp) => log.split('\n').filter((l) => pattern.test(l)).length;
    expect(lines(/database: connection lost/)).toBe(1);
    expect(lines(/database: connection back/)).toBe(1);
    expect(lines(/not ready: postgres down/)).toBe(1);
    expect(lines(/ready again/)).toBe(1);
  });
});
