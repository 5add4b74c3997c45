import { passwords } from '@shelterlink/accounts';
import { GqlResult } from '../support/gql';
import { PASSWORD } from '../support/fixtures';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { uniqueEmail, wsExecute } from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * Attacks on sign-in, as they were made: parallel guesses, guesses hidden between successful sign-ins, forged
 * X-Forwarded-For headers, and guessing a named advocate's password to lock her out. The API runs behind a
 * trusted proxy here (TRUSTED_PROXIES=127.0.0.1), so each request can come "from" another address; a second API
 * without trusted proxies shows that a forged header changes nothing.
 */
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const LIMITS = { LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_ADDRESS: '8', LOGIN_BLOCK_SECONDS: '120' };

async function login(url: string, email: string, password: string, from?: string): Promise<GqlResult> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify({ query: LOGIN, variables: { e: email, p: password } }),
  });
  return (await res.json()) as GqlResult;
}
const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code ?? 'OK';
let addresses = 0;
/** A client address no other test used. */
const freshAddress = () => `198.51.100.${++addresses}`;

describe('sign-in limits behind a trusted proxy', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ ...LIMITS, TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(() => w.close());

  const account = async () => {
    const email = uniqueEmail('target');
    await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
    return email;
  };

  it('forty parallel wrong passwords: at most five are checked, the rest refused before any password check', async () => {
    const email = await account();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(w.api.url, email, `guess ${i}`, freshAddress())),
    );
    const counts = answers.reduce<Record<string, number>>((c, a) => ({ ...c, [code(a)]: (c[code(a)] ?? 0) + 1 }), {});
    expect(counts).toEqual({ INVALID_CREDENTIALS: 5, TOO_MANY_ATTEMPTS: 35 });
  });

  it('a successful sign-in gives back only its own attempt: guesses between polls still add up', async () => {
    const email = await account();
    const desk = freshAddress();
    // a dashboard signs in on every poll, from its desk; an attacker guesses in between, from elsewhere
    for (let round = 0; round < 5; round++) {
      expect(code(await login(w.api.url, email, PASSWORD, desk))).toBe('OK');
      expect(code(await login(w.api.url, email, `guess ${round}`, freshAddress()))).toBe('INVALID_CREDENTIALS');
    }
    expect(code(await login(w.api.url, email, 'guess 5', freshAddress()))).toBe('TOO_MANY_ATTEMPTS');
  });

  it("guessing a named advocate's password does not lock her out of her own desk", async () => {
    const email = await account();
    const desk = freshAddress();
    expect(code(await login(w.api.url, email, PASSWORD, desk))).toBe('OK');
    const attacker = freshAddress();
    for (let i = 0; i < 5; i++) await login(w.api.url, email, `guess ${i}`, attacker);
    // the account is under attack: from an address that never signed in to it, even the right password is refused
    expect(code(await login(w.api.url, email, PASSWORD, freshAddress()))).toBe('TOO_MANY_ATTEMPTS');
    expect(code(await login(w.api.url, email, 'guess 6', attacker))).toBe('TOO_MANY_ATTEMPTS');
    // from her desk the right password still works (after a short delay), and a wrong one still fails
    const started = Date.now();
    expect(code(await login(w.api.url, email, PASSWORD, desk))).toBe('OK');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(code(await login(w.api.url, email, 'typo', desk))).toBe('INVALID_CREDENTIALS');
  });

  it('an address spraying guesses over many accounts is refused, and a success from it does not reset that', async () => {
    const sprayer = freshAddress();
    for (let i = 0; i < 7; i++) {
      expect(code(await login(w.api.url, uniqueEmail('sprayed'), 'password guess', sprayer))).toBe(
        'INVALID_CREDENTIALS',
      );
    }
    // a real user at the same address signs in: her attempt is given back, the seven failures are not
    expect(code(await login(w.api.url, 'staff.b@example.org', PASSWORD, sprayer))).toBe('OK');
    expect(code(await login(w.api.url, uniqueEmail('sprayed'), 'password guess', sprayer))).toBe('INVALID_CREDENTIALS');
    expect(code(await login(w.api.url, 'staff.b@example.org', PASSWORD, sprayer))).toBe('TOO_MANY_ATTEMPTS');
    // other addresses are not affected
    expect(code(await login(w.api.url, 'staff.b@example.org', PASSWORD, freshAddress()))).toBe('OK');
  });
  it('over a WebSocket too, the client address is the forwarded one only through a trusted proxy', async () => {
    const socketFrom = (address: string) =>
      createClient({
        url: `${w.api.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers: { 'x-forwarded-for': address } });
          }
        },
        connectionParams: { authorization: `Bearer ${w.tokens.staffA}` },
        retryAttempts: 0,
        lazy: true,
      });
    const guesser = socketFrom(freshAddress());
    const neighbour = socketFrom(freshAddress());
    try {
      // eight guesses (the per-address limit) from one forwarded address, then the ninth is refused
      for (let i = 0; i < 8; i++) {
        expect(code(await wsExecute(guesser, LOGIN, { e: uniqueEmail('ws'), p: 'guess' }))).toBe('INVALID_CREDENTIALS');
      }
      expect(code(await wsExecute(guesser, LOGIN, { e: uniqueEmail('ws'), p: 'guess' }))).toBe('TOO_MANY_ATTEMPTS');
      // another client behind the same proxy is another address
      expect(code(await wsExecute(neighbour, LOGIN, { e: uniqueEmail('ws'), p: 'guess' }))).toBe('INVALID_CREDENTIALS');
    } finally {
      await guesser.dispose();
      await neighbour.dispose();
    }
  });
});

describe('sign-in limits without a trusted proxy', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld(LIMITS);
  });
  afterAll(() => w.close());

  it('a forged X-Forwarded-For changes nothing: the connection is the client', async () => {
    for (let i = 0; i < 8; i++) {
      expect(code(await login(w.api.url, uniqueEmail('forged'), 'guess', freshAddress()))).toBe('INVALID_CREDENTIALS');
    }
    expect(code(await login(w.api.url, uniqueEmail('forged'), 'guess', freshAddress()))).toBe('TOO_MANY_ATTEMPTS');
    expect(code(await login(w.api.url, 'staff.a@example.org', PASSWORD, freshAddress()))).toBe('TOO_MANY_ATTEMPTS');
  });
});

describe('an unknown email costs what a wrong password costs', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  it('one argon2 verification either way, against a hash of the same parameters (no timing tells them apart)', async () => {
    const verify = jest.spyOn(passwords, 'verify');
    try {
      const hashes: Record<string, string[]> = {};
      for (const email of ['advocate@example.org', uniqueEmail('nobody')]) {
        verify.mockClear();
        expect(code(await login(w.api.url, email, 'a wrong password'))).toBe('INVALID_CREDENTIALS');
        hashes[email.startsWith('advocate') ? 'known' : 'unknown'] = verify.mock.calls.map(([hash]) => hash);
      }
      const parameters = (hash: string) => hash.split('$').slice(0, 4).join('$');
      expect(hashes.known).toHaveLength(1);
      expect(hashes.unknown).toHaveLength(1);
      expect(parameters(hashes.unknown[0])).toBe(parameters(hashes.known[0]));
      const [, kind, , costs] = hashes.known[0].split('$');
      expect([kind, costs.split(',').sort()]).toEqual(['argon2id', ['m=19456', 'p=1', 't=2']]);
    } finally {
      verify.mockRestore();
    }
  });
});
