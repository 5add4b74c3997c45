import { errorCode, gql } from '../support/gql';
import { createWorld, World } from '../support/world';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { id role } } }`;
const ME = `{ me { id email role organisation { id name kind } regions { code } } }`;
const PASSWORD = 'correct horse battery staple';

describe('login and me', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  it('returns a short-lived token; me gives user, role and organisation', async () => {
    const r = await gql(w.api.url, LOGIN, { e: 'Staff.A@Example.org ', p: PASSWORD });
    expect(r.errors).toBeUndefined();
    const ttl = new Date(r.data.login.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    const me = await gql(w.api.url, ME, {}, r.data.login.token);
    expect(me.data.me).toMatchObject({
      email: 'staff.a@example.org',
      role: 'SHELTER_STAFF',
      organisation: { id: w.orgs.providerA, name: 'Harbor House', kind: 'SHELTER_PROVIDER' },
      regions: [],
    });
    const coordinator = await gql(w.api.url, ME, {}, w.tokens.coordinator);
    expect(coordinator.data.me.regions).toEqual([{ code: 'ST-A' }]);
  });

  it('a wrong password, an unknown email and a deactivated user get the same error', async () => {
    await w.fx.user('gone@example.org', 'HOTLINE_ADVOCATE', w.orgs.agency);
    await w.fx.pg.query(`UPDATE app_user SET active = false WHERE email = 'gone@example.org'`);
    const answers = await Promise.all([
      gql(w.api.url, LOGIN, { e: 'advocate@example.org', p: 'wrong password!!' }),
      gql(w.api.url, LOGIN, { e: 'nobody@example.org', p: PASSWORD }),
      gql(w.api.url, LOGIN, { e: 'gone@example.org', p: PASSWORD }),
    ]);
    for (const a of answers) {
      expect(a.data).toBeNull();
      expect(a.errors).toEqual([
        expect.objectContaining({
          message: 'Email or password is incorrect',
          extensions: { code: 'INVALID_CREDENTIALS' },
        }),
      ]);
    }
  });

  // the limits on failed sign-ins, and the attacks on them: test/security/login-limits.e2e-spec.ts

  it('a forged or missing token is UNAUTHENTICATED', async () => {
    expect(errorCode(await gql(w.api.url, ME))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(w.api.url, ME, {}, 'not.a.token'))).toBe('UNAUTHENTICATED');
    const [header, payload] = w.tokens.admin.split('.');
    expect(errorCode(await gql(w.api.url, ME, {}, `${header}.${payload}.forgedsignature`))).toBe('UNAUTHENTICATED');
  });
});
