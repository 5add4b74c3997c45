import { randomUUID } from 'node:crypto';
import { PASSWORD } from '../support/fixtures';
import { errorCode, gql, login } from '../support/gql';
import {
  consentInput,
  dbFingerprint,
  DOC,
  expectError,
  referralFixture,
  referralInput,
  needs,
} from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * Idempotency keys (README "Reliability"): every state-changing mutation takes `idempotencyKey`; the same key again
 * (from another device, after signing in afresh) changes nothing more and answers as the first time; twice at once,
 * one change; with another input, CONFLICT. Keys belong to the caller's organisation.
 */
describe('idempotency keys', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ RATE_LIMIT_PER_MINUTE: '1000000' });
  });
  afterAll(() => w.close());

  /** The operation's document with `idempotencyKey: $idempotencyKey` added. */
  const keyed = (name: keyof typeof DOC) =>
    DOC[name]
      .replace(/mutation\(/, 'mutation($idempotencyKey: String, ')
      .replace(new RegExp(`${name}\\(`), `${name}(idempotencyKey: $idempotencyKey, `);
  const staffEmail = 'staff.a@example.org';
  const advocateEmail = 'advocate@example.org';

  interface Case {
    name: keyof typeof DOC;
    email: string;
    /** The input of the first try and of its retries, and another input for the same key. */
    setup(): Promise<{ vars: Record<string, unknown>; other: Record<string, unknown> }>;
  }
  const offerIn = async (state: 'OFFERED' | 'ACCEPTED' | 'PLACED') => (await referralFixture(w, state)).offerId!;
  const cases: Case[] = [
    {
      name: 'adjustBeds',
      email: staffEmail,
      setup: async () => ({
        vars: { input: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' } },
        other: { input: { poolId: w.pools.a, occupiedDelta: 2, reason: 'arrived' } },
      }),
    },
    {
      name: 'setBedCounts',
      email: staffEmail,
      setup: async () => {
        const { version } = await w.fx.poolRow(w.pools.a);
        const input = { poolId: w.pools.a, expectedVersion: version, occupied: 3, outOfService: 0, reason: 'count' };
        return { vars: { input }, other: { input: { ...input, occupied: 4 } } };
      },
    },
    {
      name: 'confirmAvailability',
      email: staffEmail,
      setup: async () => ({ vars: { shelterId: w.shelters.a }, other: { shelterId: w.shelters.aPublic } }),
    },
    {
      name: 'submitReferral',
      email: advocateEmail,
      setup: async () => ({
        vars: { input: referralInput(w) },
        other: { input: referralInput(w, { needs: needs({ age: 31 }) }) },
      }),
    },
    {
      name: 'recordConsent',
      email: advocateEmail,
      setup: async () => {
        const { id } = await referralFixture(w, 'AWAITING_CONSENT');
        const input = consentInput();
        return { vars: { referralId: id, input }, other: { referralId: id, input: { ...input, method: 'WRITTEN' } } };
      },
    },
    {
      name: 'revokeConsent',
      email: advocateEmail,
      setup: async () => ({
        vars: { consentId: (await referralFixture(w, 'MATCHING')).consentId },
        other: { consentId: (await referralFixture(w, 'MATCHING')).consentId },
      }),
    },
    {
      name: 'withdrawReferral',
      email: advocateEmail,
      setup: async () => {
        const { id } = await referralFixture(w, 'MATCHING');
        return { vars: { referralId: id, reason: 'found elsewhere' }, other: { referralId: id, reason: 'other' } };
      },
    },
    {
      name: 'respondToOffer',
      email: staffEmail,
      setup: async () => {
        const offerId = await offerIn('OFFERED');
        const input = { accept: true, intakeInstructions: 'Ring the side door' };
        return { vars: { offerId, input }, other: { offerId, input: { ...input, intakeInstructions: 'Front door' } } };
      },
    },
    {
      name: 'confirmIntake',
      email: staffEmail,
      setup: async () => ({
        vars: { offerId: await offerIn('ACCEPTED') },
        other: { offerId: await offerIn('ACCEPTED') },
      }),
    },
    {
      name: 'recordNoShow',
      email: staffEmail,
      setup: async () => ({
        vars: { offerId: await offerIn('ACCEPTED') },
        other: { offerId: await offerIn('ACCEPTED') },
      }),
    },
    {
      name: 'recordExit',
      email: staffEmail,
      setup: async () => {
        const offerId = await offerIn('PLACED');
        return {
          vars: { offerId, destination: 'PERMANENT_HOUSING' },
          other: { offerId, destination: 'TRANSITIONAL_PROGRAMME' },
        };
      },
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: a retry from another device changes nothing and gets the first answer; another input is CONFLICT',
    async (_name, c) => {
      const { vars, other } = await c.setup();
      const key = randomUUID();
      const first = await gql(
        w.api.url,
        keyed(c.name),
        { ...vars, idempotencyKey: key },
        await login(w.api.url, c.email, PASSWORD),
      );
      expect(first.errors).toBeUndefined();
      const changed = await dbFingerprint(w.fx);

      // the answer was lost: the client retries tomorrow, on another device, signed in afresh
      const device = await login(w.api.url, c.email, PASSWORD);
      const again = await gql(w.api.url, keyed(c.name), { ...vars, idempotencyKey: key }, device);
      expect(again).toEqual(first);
      expect(await dbFingerprint(w.fx)).toEqual(changed);

      const conflict = await gql(w.api.url, keyed(c.name), { ...other, idempotencyKey: key }, device);
      expectError(conflict, 'CONFLICT', 'idempotencyKey');
      expect(await dbFingerprint(w.fx)).toEqual(changed);
    },
  );

  it('answers that hold survivor data are not kept: only their id, read again (in scope, as now) on a replay', async () => {
    const key = randomUUID();
    const first = await gql(
      w.api.url,
      keyed('submitReferral'),
      { input: referralInput(w), idempotencyKey: key },
      w.tokens.advocate,
    );
    expect(first.errors).toBeUndefined();
    const kept = await w.fx.one<{ response: unknown; request_hash: string }>(
      `SELECT response, request_hash FROM idempotency_key WHERE key = $1`,
      [key],
    );
    expect(kept.response).toEqual({ id: first.data.submitReferral.id });
    // the input is fingerprinted with a keyed hash, never a plain one a guess could confirm
    expect(kept.request_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bedKey = randomUUID();
    const bed = await gql(
      w.api.url,
      keyed('adjustBeds'),
      { input: { poolId: w.pools.b, occupiedDelta: 1, reason: 'arrived' }, idempotencyKey: bedKey },
      w.tokens.staffB,
    );
    const keptBed = await w.fx.one<{ response: { id: string } }>(
      `SELECT response FROM idempotency_key WHERE key = $1`,
      [bedKey],
    );
    expect(keptBed.response.id).toBe(bed.data.adjustBeds.id);
  });

  it('five tries at once with one key: one change, five equal answers', async () => {
    const before = (await w.fx.poolRow(w.pools.b)).occupied;
    const vars = { input: { poolId: w.pools.b, occupiedDelta: 1, reason: 'arrived' }, idempotencyKey: randomUUID() };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => gql(w.api.url, keyed('adjustBeds'), vars, w.tokens.staffB)),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0].data.adjustBeds.occupied).toBe(before + 1);
    expect((await w.fx.poolRow(w.pools.b)).occupied).toBe(before + 1);
  });

  it("keys are the organisation's own: another organisation's key of the same text is another key", async () => {
    const key = `shared-${randomUUID()}`;
    const a = await gql(
      w.api.url,
      keyed('adjustBeds'),
      { input: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' }, idempotencyKey: key },
      w.tokens.staffA,
    );
    const b = await gql(
      w.api.url,
      keyed('adjustBeds'),
      { input: { poolId: w.pools.b, occupiedDelta: 1, reason: 'arrived' }, idempotencyKey: key },
      w.tokens.staffB,
    );
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    // B's key of that text is B's own: A's change under it is another input (CONFLICT), and without it, not found
    const replay = await gql(
      w.api.url,
      keyed('adjustBeds'),
      { input: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' }, idempotencyKey: key },
      w.tokens.staffB,
    );
    expectError(replay, 'CONFLICT', 'idempotencyKey');
    const other = await gql(
      w.api.url,
      keyed('adjustBeds'),
      { input: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' }, idempotencyKey: randomUUID() },
      w.tokens.staffB,
    );
    expect(errorCode(other)).toBe('NOT_FOUND');
  });

  it('a key does not let a role do what it may not, and a refused change does not use up its key', async () => {
    const key = randomUUID();
    const vars = { input: { poolId: w.pools.a, occupiedDelta: 1, reason: 'arrived' }, idempotencyKey: key };
    expectError(await gql(w.api.url, keyed('adjustBeds'), vars, w.tokens.advocate), 'FORBIDDEN');
    const before = await dbFingerprint(w.fx);
    const tooMany = { input: { poolId: w.pools.a, occupiedDelta: 1000, reason: 'x' }, idempotencyKey: key };
    expect(errorCode(await gql(w.api.url, keyed('adjustBeds'), tooMany, w.tokens.staffA))).toMatch(
      /CONFLICT|BAD_USER_INPUT/,
    );
    expect(await dbFingerprint(w.fx)).toEqual(before);
    const fine = await gql(w.api.url, keyed('adjustBeds'), vars, w.tokens.staffA);
    expect(fine.errors).toBeUndefined();
  });

  it.each([['short'], ['has spaces in it'], ['x'.repeat(129)], ['emoji-🙂-key']])(
    'a malformed key (%s) is BAD_USER_INPUT and changes nothing',
    async (key) => {
      const before = await dbFingerprint(w.fx);
      const r = await gql(
        w.api.url,
        keyed('adjustBeds'),
        { input: { poolId: w.pools.a, occupiedDelta: 1, reason: 'x' }, idempotencyKey: key },
        w.tokens.staffA,
      );
      expectError(r, 'BAD_USER_INPUT', 'idempotencyKey');
      expect(await dbFingerprint(w.fx)).toEqual(before);
    },
  );
});
