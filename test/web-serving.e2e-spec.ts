// The web app as the API serves it, on both HTTP adapters: / redirects to /app/, deep links get the app's page,
// index.html is revalidated on every load and carries its security headers, hashed assets are cached for good, and
// the API's own paths are unaffected. (The browser tests in test/web use the app itself, on the default adapter.)
import { createTestEnv, freePort, spawnApi, type SpawnedNode, type TestEnv } from './support/app';

describe.each(['fastify', 'express'])('the web app served by the API on %s', (adapter) => {
  let env: TestEnv;
  let api: SpawnedNode;

  beforeAll(async () => {
    env = await createTestEnv({ HTTP_ADAPTER: adapter });
    api = await spawnApi(env, await freePort());
  });
  afterAll(async () => {
    await api.close();
    await env.cleanup();
  });

  it('redirects / to /app/', async () => {
    const root = await fetch(`${api.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toMatch(/\/app\/$/);
  });

  it('serves the app for /app/ and for deep links, revalidated on every load, from its own origin only', async () => {
    for (const path of ['/app/', '/app/staff/offers', '/app/coordinator/regions/x']) {
      const page = await fetch(`${api.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await page.text()).toContain('<div id="root">');
    }
  });

  it('caches hashed assets for good', async () => {
    const html = await (await fetch(`${api.url}/app/`)).text();
    const asset = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${api.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it("leaves the API's own paths alone", async () => {
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    const graphql = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await fetch(`${api.url}/exports/capacity.csv`)).status).toBe(401);
  });
});
