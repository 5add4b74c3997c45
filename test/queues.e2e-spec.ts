import { createWorld, World } from './support/world';

describe.each(['fastify', 'express'])('queue dashboard (/queues) on %s', (adapter) => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ HTTP_ADAPTER: adapter });
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
});
