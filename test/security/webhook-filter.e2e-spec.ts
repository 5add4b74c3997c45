import { randomBytes } from 'node:crypto';
import { createTestEnv, freePort, SpawnedNode, spawnNode, TestEnv } from '../support/app';
import { Fixtures, PASSWORD } from '../support/fixtures';
import { gql } from '../support/gql';
import { DOC } from '../support/operations';

/**
 * Where a shelter's webhook may point. Production: https, public addresses only (the special IPv6 ranges that
 * reach private or IPv4 networks included), port 443 unless WEBHOOK_PORTS says otherwise. Development: this
 * machine too, but never link-local or a cloud metadata service. Refused URLs are BAD_USER_INPUT on `url`, and
 * nothing is stored.
 */
const REAL_SECRETS = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  IDENTITY_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  WEBHOOK_SIGNING_KEY: randomBytes(32).toString('hex'),
  METRICS_TOKEN: randomBytes(24).toString('hex'),
};

describe('webhook filter', () => {
  let testEnv: TestEnv;
  let fx: Fixtures;
  let shelterId: string;
  const apis: Record<'production' | 'productionWith8443' | 'development', SpawnedNode | undefined> = {
    production: undefined,
    productionWith8443: undefined,
    development: undefined,
  };
  const tokens: Partial<Record<keyof typeof apis, string>> = {};

  beforeAll(async () => {
    testEnv = await createTestEnv();
    fx = new Fixtures(testEnv.db.url);
    const region = await fx.region('STATE', 'State');
    const provider = await fx.organisation('Provider', 'SHELTER_PROVIDER');
    shelterId = await fx.shelter(provider, region);
    await fx.user('staff@example.org', 'SHELTER_STAFF', provider);
    const { NODE_ENV: _mode, JWT_SECRET: _secret, ...base } = testEnv.env;
    const start = async (name: keyof typeof apis, env: Record<string, string>) => {
      const port = await freePort();
      const api = await spawnNode('dist/apps/api/src/main.js', { ...base, ...env, PORT: String(port) }, port);
      apis[name] = api;
      const login = await gql(api.url, DOC.login, { email: 'staff@example.org', password: PASSWORD });
      tokens[name] = (login.data as { login: { token: string } }).login.token;
    };
    await Promise.all([
      start('production', { ...REAL_SECRETS, NODE_ENV: 'production', HOST: '127.0.0.1' }),
      start('productionWith8443', {
        ...REAL_SECRETS,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        WEBHOOK_PORTS: '443,8443',
      }),
      start('development', { NODE_ENV: 'development' }),
    ]);
  });
  afterAll(async () => {
    for (const api of Object.values(apis)) await api?.close();
    await fx?.close();
    await testEnv?.cleanup();
  });

  const setHook = (api: keyof typeof apis, url: string) =>
    gql(apis[api]!.url, DOC.setShelterWebhook, { id: shelterId, url }, tokens[api]);
  const stored = async () =>
    (await fx.one<{ webhook_url: string | null }>(`SELECT webhook_url FROM shelter WHERE id = $1`, [shelterId]))
      .webhook_url;

  it.each([
    ['https://[fec0::1]/hook', 'site-local IPv6'],
    ['https://[64:ff9b:1::a00:1]/hook', 'NAT64 for local use'],
    ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook', 'Teredo'],
    ['https://[100::1]/hook', 'discard'],
    ['https://[64:ff9b::a9fe:a9fe]/hook', 'NAT64 to metadata'],
    ['https://[fd12:3456::1]/hook', 'unique local'],
    ['https://10.0.0.5/hook', 'a private IPv4 address'],
    ['https://localhost/hook', 'this machine by name'],
    ['https://hooks.example.org:8443/hook', 'a port other than 443'],
    ['https://hooks.example.org:22/hook', 'the SSH port'],
    ['http://hooks.example.org/hook', 'plain http'],
  ])('production refuses %s (%s), storing nothing', async (url) => {
    const r = await setHook('production', url);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(r.data ?? null).toBeNull();
    expect(await stored()).toBeNull();
  });

  it('production takes a public https URL on 443, and another port only when WEBHOOK_PORTS names it', async () => {
    const plain = await setHook('production', 'https://hooks.example.org/hook');
    expect(plain.errors).toBeUndefined();
    expect(await stored()).toBe('https://hooks.example.org/hook');
    const refused = await setHook('productionWith8443', 'https://hooks.example.org:9443/hook');
    expect(refused.errors?.[0]?.message).toMatch(/port 443 or 8443/);
    const configured = await setHook('productionWith8443', 'https://hooks.example.org:8443/hook');
    expect(configured.errors).toBeUndefined();
    expect(await stored()).toBe('https://hooks.example.org:8443/hook');
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data', 'cloud metadata'],
    ['http://[fe80::1]:8080/hook', 'link-local IPv6'],
    ['http://[::ffff:169.254.169.254]/hook', 'metadata as a mapped address'],
    ['http://metadata.google.internal/computeMetadata/v1', "Google's metadata name"],
    ['http://100.100.100.200/latest', "Alibaba's metadata"],
  ])('development still refuses %s (%s)', async (url) => {
    const before = await stored();
    const r = await setHook('development', url);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(await stored()).toBe(before);
  });

  it('development takes a receiver on this machine, on any port', async () => {
    const r = await setHook('development', 'http://127.0.0.1:9999/hook');
    expect(r.errors).toBeUndefined();
    expect(await stored()).toBe('http://127.0.0.1:9999/hook');
  });
});
