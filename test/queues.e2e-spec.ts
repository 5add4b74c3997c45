import { createWorld, World } from './support/world';

describe.each(['fastify', 'express'])('queue dashboard (/queues) on %s', (adapter) => {
  let w: World;
  beforeAll(async () => {
    // development mode: where the board's own error answers would carry a stack trace
    w = await createWorld({ HTTP_ADAPTER: adapter, NODE_ENV: 'development' });
  });
  afterAll(() => w.close());

  const get = (headers: Record<string, string> = {}) => fetch(`${w.api.url}/queues`, { headers });
  const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

  it('is for admins only: anonymous callers and other roles are asked to sign in', async () => {
    const anonymous = await get();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    for (const token of [w.tokens.advocate, w.tokens.staffA, w.tokens.coordinator]) {
      expect((await get({ authorization: `Bearer ${token}` })).status).toBe(401);
    }
    expect((await get({ authorization: basic('advocate@example.org', 'correct horse battery staple') })).status).toBe(
      401,
    );
    expect((await get({ authorization: basic('admin@example.org', 'wrong password!') })).status).toBe(401);
  });

  it('serves the board to an admin, by token or by password', async () => {
    const byToken = await get({ authorization: `Bearer ${w.tokens.admin}` });
    expect(byToken.status).toBe(200);
    expect(await byToken.text()).toContain('<html');
    const byPassword = await get({ authorization: basic('admin@example.org', 'correct horse battery staple') });
    expect(byPassword.status).toBe(200);
    const api = await fetch(`${w.api.url}/queues/api/queues`, {
      headers: { authorization: `Bearer ${w.tokens.admin}` },
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['referrals', 'system']);
  });

  it('answers its errors without a message, a stack trace or server paths', async () => {
    const admin = { authorization: `Bearer ${w.tokens.admin}`, 'content-type': 'application/json' };
    const calls: [string, string, string?][] = [
      ['GET', '/queues/api/queues/no-such-queue/1'],
      ['GET', '/queues/api/queues/referrals/no-such-job'],
      ['PUT', '/queues/api/queues/referrals/concurrency', '{"concurrency": "many"}'],
      ['GET', '/queues/api/queues?activeQueue=referrals&status=bogus'],
      // an empty JSON body: the error the board itself catches and, in development, answered with its stack
      ['PUT', '/queues/api/queues/referrals/retry/failed'],
      ['PUT', '/queues/api/queues/referrals/clean/completed'],
    ];
    for (const [method, path, body] of calls) {
      const r = await fetch(`${w.api.url}${path}`, { method, headers: admin, body });
      const text = await r.text();
      expect({ path, status: r.status, text }).toEqual({
        path,
        status: expect.any(Number),
        text: expect.not.stringMatching(/stack|details|"message"|\/work|node_modules|\bat /i),
      });
      // a client's mistake is a 4xx (express reads the empty body as {}, where the call simply succeeds)
      expect(r.status).toBeLessThan(500);
    }
  });
});
