import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { INestApplication } from '@nestjs/common';
import { RefreshSessionsService, TokenClaims } from '@shelterlink/accounts';
import { TEST_JWT_SECRET } from '../support/app';
import { Browser, SESSION_DOC } from '../support/browser';
import { PASSWORD } from '../support/fixtures';
import { collect, gql, login, wsClient } from '../support/gql';
import { DOC, expectError, uniqueEmail } from '../support/operations';
import { eventually } from '../referrals/harness';
import { createWorld, World } from '../support/world';

/**
 * Sessions the web app renews without the password: login sets an HttpOnly refresh cookie; renewSession rotates it
 * and answers a fresh token; a rotated cookie presented again ends the whole sign-in (and is in the security
 * trail), except within a few seconds (two tabs renewing at once); sign-out, a new password and a deactivation end
 * sign-ins, their tokens and their sockets.
 */
const ME = `{ me { id } }`;
const FOURTEEN_DAYS = 14 * 86_400;
const jwt = new JwtService({ secret: createSecretKey(Buffer.from(TEST_JWT_SECRET)) as unknown as string });
const closeCode = (sub: { error: unknown }) => (sub.error as { code?: number } | undefined)?.code;

describe.each(['fastify', 'express'])('the refresh cookie on %s', (adapter) => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ HTTP_ADAPTER: adapter, TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(() => w.close());

  it('login sets it HttpOnly, SameSite=Strict, for /graphql, for 14 days; Secure unless plain http in test mode', async () => {
    const plain = new Browser(w.api.url);
    const set = (await plain.gql(SESSION_DOC.login, { email: 'staff.a@example.org', password: PASSWORD })).setCookie!;
    expect(set.name).toBe('shelterlink_refresh');
    expect(set.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(set.attributes).toEqual({
      'max-age': expect.any(String),
      path: '/graphql',
      httponly: true,
      samesite: 'Strict',
    });
    expect(Number(set.attributes['max-age'])).toBeGreaterThan(FOURTEEN_DAYS - 60);
    expect(Number(set.attributes['max-age'])).toBeLessThanOrEqual(FOURTEEN_DAYS);
    // behind a trusted proxy that terminated TLS, it is Secure
    const tls = new Browser(w.api.url, { 'x-forwarded-proto': 'https' });
    const secure = (await tls.gql(SESSION_DOC.login, { email: 'staff.a@example.org', password: PASSWORD })).setCookie!;
    expect(secure.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Strict', path: '/graphql' });
  });

  it('renewSession rotates it and answers a working token; signOut removes it (Max-Age=0)', async () => {
    const browser = new Browser(w.api.url);
    await browser.login('staff.a@example.org', PASSWORD);
    const first = browser.cookie;
    const renewed = await browser.renew();
    expect(renewed.errors).toBeUndefined();
    expect(renewed.data.renewSession.user).toEqual({ id: w.users.staffA, role: 'SHELTER_STAFF' });
    expect(renewed.setCookie?.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/graphql' });
    expect(browser.cookie).not.toBe(first);
    expect((await gql(w.api.url, ME, {}, renewed.data.renewSession.token)).data.me.id).toBe(w.users.staffA);
    const out = await browser.gql(SESSION_DOC.signOut, {}, renewed.data.renewSession.token);
    expect(out.data).toEqual({ signOut: true });
    expect(out.setCookie).toMatchObject({ value: '', attributes: { 'max-age': '0', path: '/graphql' } });
    expect(browser.cookie).toBeNull();
  });
});

describe('renewing sessions', () => {
  let w: World;
  beforeAll(async () => {
    // a trusted proxy, so each test can come from an address of its own (the renewal limit counts by address)
    w = await createWorld({ TRUSTED_PROXIES: '127.0.0.1', LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
  });
  afterAll(() => w.close());

  let addresses = 0;
  /** A browser at an address of its own. */
  const browser = () => new Browser(w.api.url, { 'x-forwarded-for': `198.51.100.${++addresses}` });

  const auditEntries = async (kind: string, userId: string) =>
    (await gql(w.api.url, DOC.auditEvents, { kinds: [kind], first: 100 }, w.tokens.admin)).data.auditEvents.edges
      .map((e: { node: { subjectId: string } }) => e.node)
      .filter((n: { subjectId: string }) => n.subjectId === userId);

  it('an expired token: renew, and the new token works; signed in afresh later, staff find their pool by a query', async () => {
    const staff = browser();
    const token = await staff.login('staff.a@example.org', PASSWORD);
    // the same token, expired (what the app holds after 15 minutes)
    const claims = jwt.decode<TokenClaims & { iat: number }>(token);
    const expired = jwt.sign(
      { sub: claims.sub, ver: claims.ver, fam: claims.fam, exp: Math.floor(Date.now() / 1000) - 5 },
      { algorithm: 'HS256' },
    );
    expectError(await gql(w.api.url, ME, {}, expired), 'UNAUTHENTICATED');
    const renewed = await staff.renew();
    expect(renewed.errors).toBeUndefined();
    const fresh = renewed.data.renewSession.token as string;
    expect(jwt.decode<TokenClaims>(fresh).fam).toBe(claims.fam);
    const adjusted = await gql(w.api.url, DOC.adjustBeds, { input: { poolId: w.pools.a, occupiedDelta: 1 } }, fresh);
    expect(adjusted.errors).toBeUndefined();
    const version = adjusted.data.adjustBeds.version as number;
    // the app is closed and opened again: renewal, then the pool is found through a query, as the app does
    const reopened = await staff.renew();
    const mine = await gql(
      w.api.url,
      `{ shelters(first: 10, mine: true) { edges { node { id pools { id occupied version } } } } }`,
      {},
      reopened.data.renewSession.token,
    );
    const pools = mine.data.shelters.edges.flatMap((e: { node: { pools: { id: string }[] } }) => e.node.pools);
    expect(pools).toContainEqual({ id: w.pools.a, occupied: 1, version });
    // signed out, then signed in afresh with the password: a new sign-in, and the same pool found again
    await staff.gql(SESSION_DOC.signOut, {}, reopened.data.renewSession.token);
    expectError(await staff.renew(), 'UNAUTHENTICATED');
    const again = await staff.login('staff.a@example.org', PASSWORD);
    expect(jwt.decode<TokenClaims>(again).fam).not.toBe(claims.fam);
    const found = await gql(w.api.url, DOC.shelter, { id: w.shelters.a }, again);
    expect(found.data.shelter.pools).toContainEqual(expect.objectContaining({ id: w.pools.a }));
    await gql(w.api.url, DOC.adjustBeds, { input: { poolId: w.pools.a, occupiedDelta: -1 } }, again);
  });

  it('a rotated cookie presented again ends the whole sign-in, its tokens at once, and is in the security trail', async () => {
    const email = uniqueEmail('reuse');
    const userId = await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
    const victim = browser();
    await victim.login(email, PASSWORD);
    const stolen = victim.cookie;
    const renewed = await victim.renew();
    const token = renewed.data.renewSession.token as string;
    expect((await gql(w.api.url, ME, {}, token)).data.me.id).toBe(userId);
    // past the grace for two tabs renewing at once
    await w.fx.pg.query(
      `UPDATE refresh_session SET replaced_at = replaced_at - interval '1 minute' WHERE user_id = $1`,
      [userId],
    );
    const thief = browser();
    thief.cookie = stolen;
    const refused = await thief.renew();
    expectError(refused, 'UNAUTHENTICATED');
    expect(refused.errors?.[0]?.message).toBe('Session ended: sign in again');
    expect(refused.setCookie).toBeNull();
    // the victim's newer cookie and token are dead too: whoever holds which, the sign-in ended
    expectError(await victim.renew(), 'UNAUTHENTICATED');
    expectError(await gql(w.api.url, ME, {}, token), 'UNAUTHENTICATED');
    expect(await w.fx.count('refresh_session', `user_id = $1 AND revoked_reason = 'REUSED'`, [userId])).toBe(2);
    expect(await w.fx.count('refresh_session', `user_id = $1 AND revoked_at IS NULL`, [userId])).toBe(0);
    expect(await auditEntries('REFRESH_TOKEN_REUSED', userId)).toEqual([
      expect.objectContaining({ actorUserId: userId, address: expect.stringContaining('198.51.100.') }),
    ]);
    // nothing kept is the token itself
    const hashes = await w.fx.pg.query<{ token_hash: string }>(
      `SELECT token_hash FROM refresh_session WHERE user_id = $1`,
      [userId],
    );
    expect(hashes.rows.map((r) => r.token_hash)).not.toContain(stolen!.split('=')[1]);
    // the password still signs in
    expect(await browser().login(email, PASSWORD)).toEqual(expect.any(String));
  });

  it('two tabs renewing at once with one cookie get the same new cookie, and the sign-in goes on', async () => {
    const staff = browser();
    await staff.login('staff.b@example.org', PASSWORD);
    const tabA = browser();
    const tabB = browser();
    tabA.cookie = tabB.cookie = staff.cookie;
    const [a, b] = await Promise.all([tabA.renew(), tabB.renew()]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(tabA.cookie).toBe(tabB.cookie);
    expect(tabA.cookie).not.toBe(staff.cookie);
    // the sign-in goes on: one tab renews again, the other (a moment late, with the cookie it had) gets the same
    const next = await tabA.renew();
    expect(next.errors).toBeUndefined();
    expect((await gql(w.api.url, ME, {}, next.data.renewSession.token)).data.me.id).toBe(w.users.staffB);
    expect((await tabB.renew()).errors).toBeUndefined();
    expect(tabB.cookie).toBe(tabA.cookie);
    // the first cookie again, whose successor was itself replaced since: a reuse, grace or not
    const stale = browser();
    stale.cookie = staff.cookie;
    expectError(await stale.renew(), 'UNAUTHENTICATED');
    expectError(await tabA.renew(), 'UNAUTHENTICATED');
  });

  it('sign-out ends this sign-in only; with the token expired the cookie alone ends it; `everywhere` ends all', async () => {
    const email = uniqueEmail('out');
    const userId = await w.fx.user(email, 'SHELTER_STAFF', w.orgs.providerA);
    const desk = browser();
    const phone = browser();
    const deskToken = await desk.login(email, PASSWORD);
    const phoneToken = await phone.login(email, PASSWORD);
    // the desk's socket closes (4401); the phone's stays open
    const deskSocket = wsClient(w.api.url, deskToken);
    const phoneSocket = wsClient(w.api.url, phoneToken);
    const deskSub = collect(deskSocket, DOC.offerUpdated, { shelterId: w.shelters.a });
    const phoneSub = collect(phoneSocket, DOC.offerUpdated, { shelterId: w.shelters.a });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const out = await desk.gql(SESSION_DOC.signOut, {}, deskToken);
    expect(out.data).toEqual({ signOut: true });
    expectError(await gql(w.api.url, ME, {}, deskToken), 'UNAUTHENTICATED');
    await eventually('the desk socket to close', async () => closeCode(deskSub) === 4401, 5000);
    expect((await gql(w.api.url, ME, {}, phoneToken)).data.me.id).toBe(userId);
    expect(closeCode(phoneSub)).toBeUndefined();
    await Promise.all([deskSocket.dispose(), phoneSocket.dispose()]);
    expect(await auditEntries('SIGNED_OUT', userId)).toHaveLength(1);
    // signing out twice is no error
    expect((await desk.gql(SESSION_DOC.signOut)).data).toEqual({ signOut: true });

    // a shared computer: the token has expired, the cookie alone signs out
    const shared = browser();
    await shared.login(email, PASSWORD);
    const cookie = shared.cookie;
    expect((await shared.gql(SESSION_DOC.signOut)).data).toEqual({ signOut: true });
    shared.cookie = cookie;
    expectError(await shared.renew(), 'UNAUTHENTICATED');
    const stillOpen = await w.fx.count('refresh_session', 'user_id = $1 AND revoked_at IS NULL', [userId]);
    expect(stillOpen).toBe(1); // the phone's

    // everywhere: needs a signed-in caller; ends the phone's sign-in too
    expectError(await phone.gql(SESSION_DOC.signOut, { everywhere: true }), 'UNAUTHENTICATED');
    expect((await phone.gql(SESSION_DOC.signOut, { everywhere: true }, phoneToken)).data).toEqual({ signOut: true });
    expectError(await gql(w.api.url, ME, {}, phoneToken), 'UNAUTHENTICATED');
    expect(await w.fx.count('refresh_session', 'user_id = $1 AND revoked_at IS NULL', [userId])).toBe(0);
  });

  it('a new password, a deactivation or new regions end every sign-in: no renewal', async () => {
    const cases: [string, (id: string) => Promise<unknown>][] = [
      [
        'password',
        (id) =>
          gql(w.api.url, DOC.updateUser, { id, input: { password: 'another long passphrase 2026' } }, w.tokens.admin),
      ],
      ['deactivation', (id) => gql(w.api.url, DOC.deactivateUser, { id }, w.tokens.admin)],
      [
        'regions',
        (id) => gql(w.api.url, DOC.updateUser, { id, input: { regionIds: [w.regions.countyB] } }, w.tokens.admin),
      ],
    ];
    for (const [what, end] of cases) {
      const email = uniqueEmail(what);
      const id = await w.fx.user(email, 'REGIONAL_COORDINATOR', w.orgs.coordination, [w.regions.countyA]);
      const one = browser();
      const two = browser();
      await one.login(email, PASSWORD);
      await two.login(email, PASSWORD);
      await end(id);
      expectError(await one.renew(), 'UNAUTHENTICATED');
      expectError(await two.renew(), 'UNAUTHENTICATED');
      expect(await w.fx.count('refresh_session', `user_id = $1 AND revoked_reason = 'SESSIONS_ENDED'`, [id])).toBe(2);
    }
  });

  it('a sign-in expires after REFRESH_TOKEN_DAYS, or idle after REFRESH_IDLE_HOURS', async () => {
    const expired = browser();
    await expired.login('advocate@example.org', PASSWORD);
    await w.fx.pg.query(
      `UPDATE refresh_session SET expires_at = now() - interval '1 second' WHERE id = (
         SELECT id FROM refresh_session WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)`,
      [w.users.advocate],
    );
    expectError(await expired.renew(), 'UNAUTHENTICATED');
    const idle = browser();
    await idle.login('advocate@example.org', PASSWORD);
    await w.fx.pg.query(
      `UPDATE refresh_session SET created_at = now() - interval '73 hours' WHERE id = (
         SELECT id FROM refresh_session WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)`,
      [w.users.advocate],
    );
    expectError(await idle.renew(), 'UNAUTHENTICATED');
  });

  it('no cookie, or one over a WebSocket: UNAUTHENTICATED, and nothing counted', async () => {
    const none = browser();
    for (let i = 0; i < 6; i++) expectError(await none.renew(), 'UNAUTHENTICATED');
    const socket = wsClient(w.api.url, w.tokens.staffA);
    const sub = collect(socket, SESSION_DOC.renewSession, {});
    expect((await sub.next(1)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await socket.dispose();
    // the address may still sign in
    expect(await none.login('staff.a@example.org', PASSWORD)).toEqual(expect.any(String));
  });

  it('made-up cookies count against the address like failed sign-ins; past the limit it is TOO_MANY_ATTEMPTS', async () => {
    const guesser = browser();
    for (let i = 0; i < 4; i++) {
      guesser.cookie = `shelterlink_refresh=${String(i).repeat(43)}`;
      expectError(await guesser.renew(), 'UNAUTHENTICATED');
    }
    guesser.cookie = `shelterlink_refresh=${'z'.repeat(43)}`;
    expectError(await guesser.renew(), 'TOO_MANY_ATTEMPTS');
    guesser.cookie = null;
    expectError(await guesser.gql(SESSION_DOC.login, { email: 'staff.a@example.org', password: PASSWORD }), [
      'TOO_MANY_ATTEMPTS',
    ]);
    // another address renews as before
    const other = browser();
    await other.login('staff.a@example.org', PASSWORD);
    expect((await other.renew()).errors).toBeUndefined();
  });

  it("the sweeper's purge deletes a sign-in's rows a few days after it ended or expired, and nothing else", async () => {
    const email = uniqueEmail('purge');
    const userId = await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
    const ended = browser();
    await ended.login(email, PASSWORD);
    await ended.renew();
    const ongoing = browser();
    await ongoing.login(email, PASSWORD);
    const family = await w.fx.one<{ family_id: string }>(
      `SELECT family_id FROM refresh_session WHERE user_id = $1 AND replaced_by IS NOT NULL`,
      [userId],
    );
    await w.fx.pg.query(
      `UPDATE refresh_session SET revoked_at = now() - interval '4 days', revoked_reason = 'SIGNED_OUT'
        WHERE family_id = $1`,
      [family.family_id],
    );
    const app = (w.api as unknown as { app: INestApplication }).app;
    expect(await app.get(RefreshSessionsService).purge()).toBeGreaterThanOrEqual(2);
    expect(await w.fx.count('refresh_session', 'user_id = $1', [userId])).toBe(1);
    expect((await ongoing.renew()).errors).toBeUndefined();
  });

  it('login over a WebSocket starts no renewable sign-in (no cookie can be set there)', async () => {
    const email = uniqueEmail('ws');
    const userId = await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
    const socket = wsClient(w.api.url, w.tokens.advocate);
    const sub = collect(socket, SESSION_DOC.login, { email, password: PASSWORD });
    const answer = await sub.next(1);
    await socket.dispose();
    expect(jwt.decode<TokenClaims>(answer.data.login.token).fam).toBeUndefined();
    expect(await w.fx.count('refresh_session', 'user_id = $1', [userId])).toBe(0);
    expect((await gql(w.api.url, ME, {}, await login(w.api.url, email, PASSWORD))).data.me.id).toBe(userId);
  });
});
