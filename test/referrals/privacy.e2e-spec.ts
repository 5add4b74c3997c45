import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { errorCode, gql, login } from '../support/gql';
import { PASSWORD } from '../support/fixtures';
import { consent, NEEDS, submit, waitForState } from '../support/referrals';
import { createWorld, World } from '../support/world';
import {
  accept,
  expectCode,
  offerMutation,
  offersFor,
  openOffer,
  referralsQueue,
  setPool,
  settled,
  startReadyWorker,
  waitForDbState,
  Worker,
  WORKFLOW_ENV,
  cleanUpAfterTest,
  shutDown,
} from './harness';

/** A survivor's identity, with a canary in every field: none of it may appear anywhere it should not. */
const IDENTITY = {
  name: 'Quillon Zephyrine-Canary',
  dateOfBirth: '1991-04-17',
  phone: '+1 555 0177 913',
  notes: 'canary-notes: hiding near the ferry docks',
};
const CANARIES = ['Quillon', 'Zephyrine', '0177 913', '1991-04-17', 'ferry docks', 'canary'];
/** What would give the needs profile away in Redis: its field names and values (job payloads are checked key by key). */
const NEEDS_MARKERS = [
  'gender',
  'WOMAN',
  'traffickingTypes',
  'languages',
  'urgency',
  'TONIGHT',
  'latitude',
  'radiusKm',
];

const IDENTITY_FIELDS = `identity { name dateOfBirth phone notes }`;
const READ_REFERRAL = `query($id: ID!) { referral(id: $id) { id state hasIdentity ${IDENTITY_FIELDS} } }`;
const ACCEPT_WITH_IDENTITY = `mutation($id: ID!) {
  respondToOffer(offerId: $id, input: { accept: true }) { id status ${IDENTITY_FIELDS} } }`;
const OFFERS_WITH_IDENTITY = `query { offers(stages: [OPEN]) {
  edges { node { id referralId needs { age } ${IDENTITY_FIELDS} } } } }`;
const offerList = (data: { offers: { edges: { node: unknown }[] } }) => data.offers.edges.map((e) => e.node);

/**
 * Identity and consent end to end: identity encrypted at rest and audited on every read, released to one
 * shelter after acceptance under a consent naming it, never to anyone else; revocation hides the offer at once;
 * and the queue (BullMQ's clear-text job data, the outbox) carries ids only.
 */
describe('referral privacy', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;
  let otherAdvocate: string;

  const audits = (referralId: string) => w.fx.count('identity_access', 'referral_id = $1', [referralId]);
  const consentTo = (id: string, recipientShelterId: string) =>
    consent(w, id, { scopes: ['SHARE_IDENTITY_WITH_RECIPIENT'], recipientShelterId });
  const consentsOf = async (id: string) =>
    (
      await gql(
        w.api.url,
        `query($id: ID!) { referral(id: $id) { consents { id scopes } } }`,
        { id },
        w.tokens.advocate,
      )
    ).data.referral.consents as { id: string; scopes: string[] }[];
  const revoke = (consentId: string) =>
    gql(
      w.api.url,
      `mutation($c: ID!) { revokeConsent(consentId: $c) { id state } }`,
      { c: consentId },
      w.tokens.advocate,
    );
  /** Submitted with identity, consented to share needs, offered (at shelter A, the nearest). */
  const offeredWithIdentity = async (identityFor?: string) => {
    const r = await submit(w, NEEDS, IDENTITY);
    await consent(w, r.id);
    if (identityFor) await consentTo(r.id, identityFor);
    await waitForDbState(w, r.id, 'OFFERED');
    const offer = (await openOffer(w, r.id))!;
    expect(offer.shelter_id).toBe(w.shelters.a);
    return { r, offer };
  };

  beforeAll(async () => {
    // a consent window long enough for many submissions under load (the window itself is tested in timers)
    w = await createWorld({ ...WORKFLOW_ENV, CONSENT_WINDOW_SECONDS: '120' });
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue);
    const agency = await w.fx.organisation('Second Hotline', 'REFERRAL_AGENCY');
    await w.fx.user('advocate.two@example.org', 'HOTLINE_ADVOCATE', agency);
    otherAdvocate = await login(w.api.url, 'advocate.two@example.org', PASSWORD);
  });
  beforeEach(async () => {
    await setPool(w, w.pools.a, { capacity: 10 });
    await setPool(w, w.pools.b, { capacity: 10 });
  });
  afterEach(async () => {
    await cleanUpAfterTest(w, queue);
  });
  afterAll(() => shutDown(w, queue, worker));

  it('identity is stored encrypted; the agency reads it, and every read is audited', async () => {
    const r = await submit(w, NEEDS, IDENTITY);
    const stored = await w.fx.one<{ identity: string }>(
      `SELECT identity::text AS identity FROM referral WHERE id = $1`,
      [r.id],
    );
    for (const canary of CANARIES) expect(stored.identity).not.toContain(canary);
    expect(JSON.parse(stored.identity)).toEqual({
      kid: expect.any(String),
      iv: expect.any(String),
      tag: expect.any(String),
      data: expect.any(String),
    });
    // nowhere else in the database either
    for (const table of ['referral', 'referral_event', 'consent', 'outbox', 'identity_access', 'capacity_event']) {
      const { rows } = await w.fx.pg.query(`SELECT t::text AS row FROM ${table} t`);
      for (const { row } of rows) for (const canary of CANARIES) expect(row).not.toContain(canary);
    }

    expect(await audits(r.id)).toBe(0);
    await waitForState(w, r.id, 'AWAITING_CONSENT'); // reading the referral without its identity is not audited
    expect(await audits(r.id)).toBe(0);
    const read = await gql(w.api.url, READ_REFERRAL, { id: r.id }, w.tokens.advocate);
    expect(read.data.referral).toMatchObject({ hasIdentity: true, identity: IDENTITY });
    expect(await audits(r.id)).toBe(1);
    await gql(w.api.url, READ_REFERRAL, { id: r.id }, w.tokens.advocate);
    expect(await audits(r.id)).toBe(2);
    const audit = await w.fx.one(
      `SELECT user_id, organisation_id FROM identity_access WHERE referral_id = $1 ORDER BY id LIMIT 1`,
      [r.id],
    );
    expect(audit).toEqual({ user_id: w.users.advocate, organisation_id: w.orgs.agency });
  });

  it('nobody but the agency can read the referral: coordinators, admins, shelters and other agencies get NOT_FOUND', async () => {
    const r = await submit(w, NEEDS, IDENTITY);
    for (const token of [w.tokens.coordinator, w.tokens.admin, w.tokens.staffA, w.tokens.staffB, otherAdvocate]) {
      const result = await gql(w.api.url, READ_REFERRAL, { id: r.id }, token);
      expect(errorCode(result)).toBe('NOT_FOUND');
      expect(result.data).toBeNull();
      for (const canary of CANARIES) expect(JSON.stringify(result)).not.toContain(canary);
    }
    // nor list it
    for (const token of [w.tokens.coordinator, w.tokens.admin, w.tokens.staffA]) {
      const list = await gql(w.api.url, `query { referrals { edges { node { id ${IDENTITY_FIELDS} } } } }`, {}, token);
      expect(list.data).toBeNull();
      expect(JSON.stringify(list)).not.toContain(r.id);
    }
    const theirs = await gql(w.api.url, `query { referrals { edges { node { id } } } }`, {}, otherAdvocate);
    expect(theirs.data.referrals.edges).toEqual([]);
    expect(await audits(r.id)).toBe(0);
  });

  it('a shelter sees the identity only after accepting, and only under a consent that names that shelter', async () => {
    // named: shelter A accepts under a consent naming shelter A
    const named = await offeredWithIdentity(w.shelters.a);
    const open = offerList((await gql(w.api.url, OFFERS_WITH_IDENTITY, {}, w.tokens.staffA)).data);
    expect(open).toEqual([expect.objectContaining({ id: named.offer.id, needs: { age: 30 }, identity: null })]);
    expect(await audits(named.r.id)).toBe(0);
    // shelter B's staff cannot see or answer it
    expect(await offersFor(w, w.tokens.staffB)).toEqual([]);
    const foreign = await gql(w.api.url, ACCEPT_WITH_IDENTITY, { id: named.offer.id }, w.tokens.staffB);
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect(JSON.stringify(foreign)).not.toContain('Quillon');

    const accepted = await gql(w.api.url, ACCEPT_WITH_IDENTITY, { id: named.offer.id }, w.tokens.staffA);
    expect(accepted.data.respondToOffer).toMatchObject({ status: 'ACCEPTED', identity: IDENTITY });
    expect(await audits(named.r.id)).toBe(1);
    expect(
      await w.fx.one(`SELECT user_id, organisation_id FROM identity_access WHERE referral_id = $1`, [named.r.id]),
    ).toEqual({ user_id: w.users.staffA, organisation_id: w.orgs.providerA });
    const intake = await gql(
      w.api.url,
      `mutation($id: ID!) { confirmIntake(offerId: $id) { status ${IDENTITY_FIELDS} } }`,
      { id: named.offer.id },
      w.tokens.staffA,
    );
    expect(intake.data.confirmIntake).toMatchObject({ status: 'ACCEPTED', identity: IDENTITY });
    expect(await audits(named.r.id)).toBe(2);

    // not named: the consent names another shelter (of another organisation, or of the same one),
    // names no one, or was revoked before the shelter accepted
    const cases = [
      await offeredWithIdentity(w.shelters.b),
      await offeredWithIdentity(w.shelters.aPublic),
      await offeredWithIdentity(),
    ];
    const revoked = await offeredWithIdentity(w.shelters.a);
    const identityConsent = (await consentsOf(revoked.r.id)).find((c) =>
      c.scopes.includes('SHARE_IDENTITY_WITH_RECIPIENT'),
    )!;
    expect((await revoke(identityConsent.id)).data.revokeConsent.state).toBe('OFFERED');
    cases.push(revoked);
    for (const { r, offer } of cases) {
      const result = await gql(w.api.url, ACCEPT_WITH_IDENTITY, { id: offer.id }, w.tokens.staffA);
      expect(result.data.respondToOffer).toMatchObject({ status: 'ACCEPTED', identity: null });
      expect(await audits(r.id)).toBe(0);
    }
  });

  it('revocation during an offer: CONSENT_REVOKED at once, the hold released, the offer gone from the shelter', async () => {
    const { r, offer } = await offeredWithIdentity();
    expect((await offersFor(w, w.tokens.staffA)).map((o) => o.id)).toEqual([offer.id]);
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 1 });
    const [needsConsent] = await consentsOf(r.id);

    const revoked = await revoke(needsConsent.id);
    expect(revoked.data.revokeConsent.state).toBe('CONSENT_REVOKED');
    // all in the same transaction as the revocation, not left to a job
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 0, available: 10 });
    expect(await w.fx.one(`SELECT status, end_reason FROM bed_hold WHERE id = $1`, [offer.bed_hold_id])).toEqual({
      status: 'RELEASED',
      end_reason: 'consent revoked',
    });
    expect(await w.fx.one(`SELECT status FROM offer WHERE id = $1`, [offer.id])).toEqual({ status: 'CANCELLED' });

    // the shelter no longer sees it, and nothing about the survivor's needs can be read through it
    const offers = await gql(w.api.url, OFFERS_WITH_IDENTITY, {}, w.tokens.staffA);
    expect(offerList(offers.data)).toEqual([]);
    for (const attempt of [
      await gql(
        w.api.url,
        `mutation($id: ID!) { respondToOffer(offerId: $id, input: { accept: true }) { id needs { age gender } } }`,
        { id: offer.id },
        w.tokens.staffA,
      ),
      await gql(
        w.api.url,
        `mutation($id: ID!) { respondToOffer(offerId: $id, input: { accept: false, declineReason: OTHER }) {
           id needs { age gender } } }`,
        { id: offer.id },
        w.tokens.staffA,
      ),
      await offerMutation(w, w.tokens.staffA, 'confirmIntake', offer.id),
    ]) {
      expectCode(attempt, 'INVALID_TRANSITION');
      expect(attempt.data).toBeNull();
      for (const marker of ['WOMAN', '"age"', 'Quillon']) expect(JSON.stringify(attempt)).not.toContain(marker);
    }
    // the workflow has stopped: no later job revives it
    await settled(queue);
    expect((await w.fx.one(`SELECT state FROM referral WHERE id = $1`, [r.id])).state).toBe('CONSENT_REVOKED');
    expect(await w.fx.count('bed_hold', `referral_id = $1 AND status = 'ACTIVE'`, [r.id])).toBe(0);
  });

  it('revocation after acceptance releases the held bed too, and ends the shelter’s access to the needs', async () => {
    const { r, offer } = await offeredWithIdentity(w.shelters.a);
    expect((await accept(w, w.tokens.staffA, offer.id)).errors).toBeUndefined();
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 1 });
    for (const c of await consentsOf(r.id)) {
      const result = await revoke(c.id);
      expect(result.errors).toBeUndefined();
    }
    expect((await w.fx.one(`SELECT state FROM referral WHERE id = $1`, [r.id])).state).toBe('CONSENT_REVOKED');
    expect(await w.fx.poolRow(w.pools.a)).toMatchObject({ held: 0, available: 10 });
    const intake = await gql(
      w.api.url,
      `mutation($id: ID!) { confirmIntake(offerId: $id) { id needs { age } ${IDENTITY_FIELDS} } }`,
      { id: offer.id },
      w.tokens.staffA,
    );
    expectCode(intake, 'INVALID_TRANSITION');
    expect(JSON.stringify(intake)).not.toContain('Quillon');
  });

  it('queue jobs and outbox payloads carry ids only: no identity, no needs', async () => {
    await settled(queue);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const checkPayload = (payload: Record<string, unknown>, where: string) => {
      for (const [key, value] of Object.entries(payload)) {
        const ok =
          (['referralId', 'offerId', 'holdId', 'poolId'].includes(key) && uuid.test(String(value))) ||
          (['attempt', 'version'].includes(key) && Number.isInteger(value));
        if (!ok) throw new Error(`${where} carries ${key}=${JSON.stringify(value)}`);
      }
    };

    const outbox = await w.fx.pg.query<{ job_id: string; payload: Record<string, unknown> }>(
      `SELECT job_id, payload FROM outbox`,
    );
    expect(outbox.rows.length).toBeGreaterThan(10);
    for (const row of outbox.rows) checkPayload(row.payload, `outbox row ${row.job_id}`);

    // every key BullMQ keeps for this world, whatever its type: job hashes, lists, sets, the event stream
    const redis = new Redis(w.env.env.REDIS_URL);
    let jobs = 0;
    try {
      const keys = await redis.keys(`${w.env.env.REDIS_PREFIX}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const type = await redis.type(key);
        let dump: unknown;
        if (type === 'hash') {
          const hash = await redis.hgetall(key);
          if ('data' in hash) {
            jobs++;
            checkPayload(JSON.parse(hash.data) as Record<string, unknown>, `job ${key}`);
          }
          dump = hash;
        } else if (type === 'string') dump = await redis.get(key);
        else if (type === 'list') dump = await redis.lrange(key, 0, -1);
        else if (type === 'set') dump = await redis.smembers(key);
        else if (type === 'zset') dump = await redis.zrange(key, 0, -1);
        else if (type === 'stream') dump = await redis.xrange(key, '-', '+');
        const text = `${key}: ${JSON.stringify(dump)}`;
        for (const canary of CANARIES) expect(text).not.toContain(canary);
        for (const marker of NEEDS_MARKERS) expect(text).not.toContain(marker);
      }
    } finally {
      redis.disconnect();
    }
    expect(jobs).toBeGreaterThan(5);
  });
});
