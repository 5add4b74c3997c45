import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { freePort, SpawnedNode, spawnApi } from '../support/app';
import { gql } from '../support/gql';
import { DOC } from '../support/operations';
import { createWorld, World } from '../support/world';
import {
  eventually,
  openOffer,
  referralsQueue,
  settled,
  startReadyWorker,
  waitForDbState,
  WORKFLOW_ENV,
} from './harness';

/**
 * The purge, end to end, against every place data can end up: a survivor's precise location is coarsened on input
 * (to the 0.01° grid) before it is stored, searched or shown, so it appears nowhere, ever; and once a referral has
 * closed (IDENTITY_PURGE_DAYS = 0 here), the worker's sweeper clears its identity, its location and every free text
 * people wrote about it (the withdrawal reason, a decline note, the intake instructions on its offers, typed or the
 * shelter's default), while its states, times and events stay. After the purge, every table, every Redis key of the
 * run, every log line of a separate API process and of the worker, every export and every coordinator report is
 * searched for canary strings planted in each of those fields.
 */

const RUN = randomBytes(3).toString('hex').toUpperCase();

/** An identity with a canary in every field (one per referral, so a leak names the referral it came from). */
const identity = (n: number) => ({
  name: `CANARY-NAME-${n}-${RUN}`,
  dateOfBirth: `1987-03-2${n}`,
  phone: `+1 555 0199 424${n}`,
  notes: `CANARY-NOTES-${n}-${RUN} hiding near the old mill`,
});
const identityCanaries = (n: number) => {
  const i = identity(n);
  return [i.name, i.dateOfBirth, i.phone, `0199 424${n}`, `0199424${n}`, i.notes];
};
const DECLINE_NOTE = `CANARY-DECLINE-${RUN}: she said her cousin lives on Elm Street`;
const TYPED_INSTRUCTIONS = `CANARY-INTAKE-${RUN}: meet at the pharmacy on 3rd, ask for Dana`;
const WITHDRAW_REASON = `CANARY-WITHDRAW-${RUN}: went back to the flat above the laundromat`;
/** A bed change staff explained with the referral's reference code (prefixed at run time) and words about her. */
const BED_REASON = `arrived, CANARY-BEDNOTE-${RUN}: came with her sister from the truck stop`;
/** A bed change about beds only: it names no referral and stays. */
const PLAIN_BED_REASON = `two beds back from repair ${RUN}`;
/** The shelter's own setting, not about a survivor: it may stay on the shelter row, never on a purged offer. */
const SHELTER_DEFAULT = `SHELTER-DEFAULT-${RUN}: ring the bell at the side gate`;

/** Where the survivor is; the coarse point is all that may ever be stored, searched or shown. */
const PRECISE = { latitude: 30.461234, longitude: -97.614321 };
const COARSE = { latitude: 30.46, longitude: -97.61 };
const LOCATION_CANARIES = ['30.461234', '-97.614321', '97.614321', '30.4612', '97.6143'];

/** Everything about a survivor: gone after the purge, and never in Redis, a log or an export. */
const SURVIVOR_CANARIES = [
  ...identityCanaries(1),
  ...identityCanaries(2),
  ...identityCanaries(3),
  DECLINE_NOTE,
  TYPED_INSTRUCTIONS,
  WITHDRAW_REASON,
  BED_REASON,
  'CANARY-', // any part of a free text that escaped with its prefix
  ...LOCATION_CANARIES,
];

const NEEDS = {
  age: 30,
  gender: 'WOMAN',
  languages: ['en'],
  traffickingTypes: ['SEX'],
  urgency: 'TONIGHT',
  location: PRECISE,
  radiusKm: 200,
};

interface Leak {
  where: string;
  canary: string;
}

/** Every canary found in `text` (case-insensitive), with where it was. */
function leaksIn(where: string, text: string, canaries: readonly string[]): Leak[] {
  const lower = text.toLowerCase();
  return canaries.filter((c) => lower.includes(c.toLowerCase())).map((canary) => ({ where, canary }));
}

const LOCATION = `location { latitude longitude }`;
const ADVOCATE_VIEW = `query($id: ID!) {
  referral(id: $id) {
    id state closedAt exitDestination hasIdentity identity { name dateOfBirth phone notes }
    needs { age ${LOCATION} }
    offers { id shelterId status intakeInstructions }
    events { fromState toState reason note occurredAt }
  }
}`;
const STAFF_OFFERS = `query($stages: [OfferStage!]) {
  offers(stages: $stages, first: 100) { edges { node { id referralId stage intakeInstructions needs { age ${LOCATION} } } } }
}`;
const STAFF_OFFER = `query($id: ID!) {
  offer(id: $id) { id status stage closedReason intakeInstructions needs { age } identity { name phone notes } }
}`;
const RESPOND = `mutation($id: ID!, $i: RespondToOfferInput!) {
  respondToOffer(offerId: $id, input: $i) { id status intakeInstructions identity { name dateOfBirth phone notes } }
}`;

type EventRow = { id: string; from_state: string; to_state: string; reason: string; occurred_at: Date; note: unknown };

describe('the purge: no precise location ever, and nothing typed about a survivor after it', () => {
  let w: World;
  let api: SpawnedNode;
  let queue: Queue;
  /** Every worker started (their logs are scanned); `running` is the one still up. */
  const workers: SpawnedNode[] = [];
  let running: SpawnedNode | undefined;
  const startWorkerProcess = async () => {
    running = await startReadyWorker(w, queue);
    workers.push(running);
  };
  /** A whole-day UTC period covering today (the reports take whole days). */
  const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const today = { from: new Date(dayStart).toISOString(), to: new Date(dayStart + 86_400_000).toISOString() };
  /** The three referrals, once closed and purged (the scans below run only when the workflow got there). */
  const purged: string[] = [];

  /** A GraphQL call to the spawned API (whose logs we read); any error fails the test with the operation's errors. */
  async function call<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const result = await gql<T>(api.url, query, variables, token);
    if (result.errors) throw new Error(`${query.trim().split('\n')[0]}: ${JSON.stringify(result.errors)}`);
    return result.data!;
  }
  const advocateView = async (id: string) => (await call(ADVOCATE_VIEW, { id }, w.tokens.advocate)).referral;
  const staffOffers = async (token: string, stages: string[]) =>
    (await call(STAFF_OFFERS, { stages }, token)).offers.edges.map((e: { node: any }) => e.node) as any[];
  const submit = async (n: number) =>
    (
      await call(
        `mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { id referenceCode needs { ${LOCATION} } } }`,
        { i: { regionId: w.regions.countyA, needs: NEEDS, identity: identity(n) } },
        w.tokens.advocate,
      )
    ).submitReferral as { id: string; referenceCode: string; needs: { location: unknown } };
  const consent = (referralId: string, extra: Record<string, unknown> = {}) =>
    call(
      `mutation($id: ID!, $i: RecordConsentInput!) { recordConsent(referralId: $id, input: $i) { state } }`,
      {
        id: referralId,
        i: {
          scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'],
          method: 'VERBAL_HOTLINE',
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          ...extra,
        },
      },
      w.tokens.advocate,
    );
  /** Waits until the referral's open offer is at `shelterId` (the worker makes it) and returns its id. */
  const offeredAt = async (referralId: string, shelterId: string) => {
    await eventually(`referral ${referralId} to be offered at ${shelterId}`, async () => {
      const offer = await openOffer(w, referralId);
      return offer?.shelter_id === shelterId;
    });
    return (await openOffer(w, referralId))!.id;
  };
  /** What the staff see of one offer in `offers`: it must be there, with the coarse location only. */
  const staffSees = async (token: string, stages: string[], offerId: string) => {
    const node = (await staffOffers(token, stages)).find((o) => o.id === offerId);
    expect(node).toBeDefined();
    return node;
  };
  const eventRows = (referralId: string) =>
    w.fx.pg
      .query<EventRow>(
        `SELECT id, from_state, to_state, reason, occurred_at, note FROM referral_event
          WHERE referral_id = $1 ORDER BY id`,
        [referralId],
      )
      .then((r) => r.rows);
  const storedLocation = async (referralId: string) =>
    (
      await w.fx.one<{ location: unknown }>(`SELECT needs -> 'location' AS location FROM referral WHERE id = $1`, [
        referralId,
      ])
    ).location;
  const offerRow = (offerId: string) =>
    w.fx.one<{
      status: string;
      decline_reason: string | null;
      decline_note: string | null;
      intake_instructions: string | null;
    }>(`SELECT status, decline_reason, decline_note, intake_instructions FROM offer WHERE id = $1`, [offerId]);

  /** Every row of every table of the public schema, as text, searched for `canaries`; and the rows per table. */
  async function tableLeaks(canaries: readonly string[]) {
    const { rows: tables } = await w.fx.pg.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const leaks: Leak[] = [];
    const scanned: Record<string, number> = {};
    for (const { table_name: table } of tables) {
      const { rows } = await w.fx.pg.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
      scanned[table] = rows.length;
      for (const { row } of rows) leaks.push(...leaksIn(`${table}: ${row.slice(0, 160)}`, row, canaries));
    }
    return { leaks, scanned };
  }

  /** Every Redis key of this run (the world's prefix), read whatever its type, searched for `canaries`. */
  async function redisLeaks(canaries: readonly string[]) {
    const redis = new Redis(w.env.env.REDIS_URL);
    const read = (key: string, type: string): Promise<unknown> => {
      if (type === 'string') return redis.get(key);
      if (type === 'hash') return redis.hgetall(key);
      if (type === 'list') return redis.lrange(key, 0, -1);
      if (type === 'set') return redis.smembers(key);
      if (type === 'zset') return redis.zrange(key, 0, -1, 'WITHSCORES');
      if (type === 'stream') return redis.xrange(key, '-', '+');
      if (type === 'none') return Promise.resolve(null); // expired since the scan
      throw new Error(`unexpected Redis type ${type} at ${key}`);
    };
    const leaks: Leak[] = [];
    let keys = 0;
    try {
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${w.env.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of batch) {
          const type = await redis.type(key);
          const text = JSON.stringify(await read(key, type));
          keys++;
          leaks.push(...leaksIn(`${key} (${type}): ${text.slice(0, 160)}`, `${key} ${text}`, canaries));
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    return { leaks, keys };
  }

  beforeAll(async () => {
    // a consent window that no slow moment between submitting and consenting can run out (timers has its own test)
    w = await createWorld({ ...WORKFLOW_ENV, CONSENT_WINDOW_SECONDS: '120', IDENTITY_PURGE_DAYS: '0' });
    // the world's own API runs (silent) in this process, whose output jest keeps: every call below goes to a separate
    // API instead, which, like the worker, logs everything at debug level for the scan
    w.env.env.LOG_LEVEL = 'debug';
    api = await spawnApi(w.env, await freePort());
    queue = referralsQueue(w);
    await startWorkerProcess();
  });
  afterAll(async () => {
    // (a stopped worker is not closed twice: it exited on its signal, so its `close()` would wait for ever)
    await running?.close();
    await queue?.close();
    await api?.close();
    await w?.close();
  });

  it('runs three referrals to their end: coarse locations throughout, free text kept until the purge, then cleared', async () => {
    // the accepting shelter's default intake instructions, set by its staff
    await call(
      `mutation($id: ID!, $i: UpdateShelterInput!) { updateShelter(id: $id, input: $i) { id intakeInstructions } }`,
      { id: w.shelters.a, i: { intakeInstructions: SHELTER_DEFAULT } },
      w.tokens.staffA,
    );

    // the advocate searches with the precise point first, as on a call; the answer holds nothing of it
    const search = await call(DOC.searchBeds, { needs: NEEDS, first: 5 }, w.tokens.advocate);
    expect(search.searchBeds.matches.map((m: { shelter: { id: string } }) => m.shelter.id)).toEqual([
      w.shelters.b,
      w.shelters.a,
    ]);
    expect(leaksIn('searchBeds answer', JSON.stringify(search), LOCATION_CANARIES)).toEqual([]);

    // ── referral 2: offered, then withdrawn with a reason the advocate typed ──
    const r2 = await submit(2);
    expect(r2.needs.location).toEqual(COARSE);
    expect(await storedLocation(r2.id)).toEqual(COARSE);
    await consent(r2.id);
    await waitForDbState(w, r2.id, 'OFFERED');
    const r2Offer = (await openOffer(w, r2.id))!.id;
    expect((await staffSees(w.tokens.staffB, ['OPEN'], r2Offer)).needs.location).toEqual(COARSE);
    // with IDENTITY_PURGE_DAYS = 0 the sweeper purges within one sweep of the withdrawal: to see what the
    // withdrawal stored before that, the worker is stopped over it and a new one started after
    await settled(queue);
    await running!.close();
    running = undefined;
    const withdrawn = await call(
      `mutation($id: ID!, $reason: String) { withdrawReferral(referralId: $id, reason: $reason) { state closedAt } }`,
      { id: r2.id, reason: WITHDRAW_REASON },
      w.tokens.advocate,
    );
    expect(withdrawn.withdrawReferral).toEqual({ state: 'WITHDRAWN', closedAt: expect.any(String) });
    const r2Events = await eventRows(r2.id);
    expect(r2Events.at(-1)).toMatchObject({
      from_state: 'OFFERED',
      to_state: 'WITHDRAWN',
      reason: 'withdrawn by the agency',
      note: WITHDRAW_REASON,
    });
    expect((await advocateView(r2.id)).events.at(-1)).toMatchObject({ toState: 'WITHDRAWN', note: WITHDRAW_REASON });
    await startWorkerProcess();

    // ── referral 1: shelter B (the nearest) declines with a note, shelter A accepts with typed instructions ──
    const r1 = await submit(1);
    expect(r1.needs.location).toEqual(COARSE);
    await consent(r1.id);
    await consent(r1.id, { scopes: ['SHARE_IDENTITY_WITH_RECIPIENT'], recipientShelterId: w.shelters.a });
    const r1OfferB = await offeredAt(r1.id, w.shelters.b);
    expect((await staffSees(w.tokens.staffB, ['OPEN'], r1OfferB)).needs.location).toEqual(COARSE);
    const declined = await call(
      RESPOND,
      { id: r1OfferB, i: { accept: false, declineReason: 'STAFFING', note: DECLINE_NOTE } },
      w.tokens.staffB,
    );
    expect(declined.respondToOffer).toMatchObject({ status: 'DECLINED', identity: null });
    const r1OfferA = await offeredAt(r1.id, w.shelters.a);
    expect((await staffSees(w.tokens.staffA, ['OPEN'], r1OfferA)).needs.location).toEqual(COARSE);
    const accepted = await call(
      RESPOND,
      { id: r1OfferA, i: { accept: true, intakeInstructions: TYPED_INSTRUCTIONS } },
      w.tokens.staffA,
    );
    expect(accepted.respondToOffer).toEqual({
      id: r1OfferA,
      status: 'ACCEPTED',
      intakeInstructions: TYPED_INSTRUCTIONS,
      identity: identity(1),
    });
    await call(`mutation($id: ID!) { confirmIntake(offerId: $id) { id } }`, { id: r1OfferA }, w.tokens.staffA);

    // placed, not purged yet: the coarse point everywhere it is shown or stored, the free text still there
    const resident = await staffSees(w.tokens.staffA, ['RESIDENT'], r1OfferA);
    expect(resident).toMatchObject({ stage: 'RESIDENT', needs: { age: 30, location: COARSE } });
    const placed = await advocateView(r1.id);
    expect(placed).toMatchObject({ state: 'PLACED', identity: identity(1), needs: { age: 30, location: COARSE } });
    expect(placed.offers).toEqual([
      expect.objectContaining({ id: r1OfferB, status: 'DECLINED', intakeInstructions: null }),
      expect.objectContaining({ id: r1OfferA, status: 'ACCEPTED', intakeInstructions: TYPED_INSTRUCTIONS }),
    ]);
    expect(await storedLocation(r1.id)).toEqual(COARSE);
    expect(await offerRow(r1OfferB)).toMatchObject({ decline_reason: 'STAFFING', decline_note: DECLINE_NOTE });
    expect(await offerRow(r1OfferA)).toMatchObject({ intake_instructions: TYPED_INSTRUCTIONS });
    expect(await w.fx.one(`SELECT purged_at FROM referral WHERE id = $1`, [r1.id])).toEqual({ purged_at: null });
    // nor, even now, anywhere in Postgres (the identity is encrypted) or in Redis (jobs carry ids only)
    expect((await tableLeaks([...identityCanaries(1), ...identityCanaries(2), ...LOCATION_CANARIES])).leaks).toEqual(
      [],
    );
    expect((await redisLeaks(SURVIVOR_CANARIES)).leaks).toEqual([]);
    const r1Events = await eventRows(r1.id);
    expect(r1Events.map((e) => e.to_state)).toEqual([
      'AWAITING_CONSENT',
      'MATCHING',
      'OFFERED',
      'MATCHING',
      'OFFERED',
      'ACCEPTED',
      'PLACED',
    ]);
    // staff note two bed changes: one naming the referral (in lower case, as typed), one about beds only
    const ADJUST = `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { version } }`;
    for (const reason of [`${r1.referenceCode.toLowerCase()} ${BED_REASON}`, PLAIN_BED_REASON]) {
      await call(ADJUST, { i: { poolId: w.pools.a, outOfServiceDelta: 1, reason } }, w.tokens.staffA);
      await call(ADJUST, { i: { poolId: w.pools.a, outOfServiceDelta: -1 } }, w.tokens.staffA);
    }
    expect(await w.fx.count('capacity_event', 'reason LIKE $1', [`%${BED_REASON}`])).toBe(1);
    await call(
      `mutation($id: ID!) { recordExit(offerId: $id, destination: PERMANENT_HOUSING) { id status } }`,
      { id: r1OfferA },
      w.tokens.staffA,
    );

    // ── referral 3: shelter A accepts without typing, so the agency gets the shelter's default; consent revoked ──
    const r3 = await submit(3);
    await consent(r3.id);
    const r3OfferB = await offeredAt(r3.id, w.shelters.b);
    await call(RESPOND, { id: r3OfferB, i: { accept: false, declineReason: 'NO_BED_AVAILABLE' } }, w.tokens.staffB);
    const r3OfferA = await offeredAt(r3.id, w.shelters.a);
    const r3Accepted = await call(RESPOND, { id: r3OfferA, i: { accept: true } }, w.tokens.staffA);
    expect(r3Accepted.respondToOffer).toMatchObject({ status: 'ACCEPTED', intakeInstructions: SHELTER_DEFAULT });
    expect((await advocateView(r3.id)).offers.at(-1)).toMatchObject({ intakeInstructions: SHELTER_DEFAULT });
    expect(await offerRow(r3OfferA)).toMatchObject({ intake_instructions: SHELTER_DEFAULT });
    const consents = await call(
      `query($id: ID!) { referral(id: $id) { consents { id } } }`,
      { id: r3.id },
      w.tokens.advocate,
    );
    const revoked = await call(
      `mutation($c: ID!) { revokeConsent(consentId: $c) { state } }`,
      { c: consents.referral.consents[0].id },
      w.tokens.advocate,
    );
    expect(revoked.revokeConsent.state).toBe('CONSENT_REVOKED');

    // ── the purge: the worker's sweeper, once each referral has closed ──
    const ids = [r1.id, r2.id, r3.id];
    await eventually('the three closed referrals to be purged', async () => {
      const n = await w.fx.count('referral', 'id = ANY($1::uuid[]) AND purged_at IS NOT NULL', [ids]);
      return n === ids.length;
    });
    expect(
      (
        await w.fx.pg.query(
          `SELECT id, state, closed_at IS NOT NULL AS closed, exit_destination, identity, needs -> 'location' AS location,
                  (needs ->> 'age')::int AS age
             FROM referral WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`,
          [ids],
        )
      ).rows,
    ).toEqual([
      {
        id: r1.id,
        state: 'EXITED',
        closed: true,
        exit_destination: 'PERMANENT_HOUSING',
        identity: null,
        location: null,
        age: 30,
      },
      { id: r2.id, state: 'WITHDRAWN', closed: true, exit_destination: null, identity: null, location: null, age: 30 },
      {
        id: r3.id,
        state: 'CONSENT_REVOKED',
        closed: true,
        exit_destination: null,
        identity: null,
        location: null,
        age: 30,
      },
    ]);
    // offers keep their statuses and reason codes; the words are gone
    for (const [offerId, status, declineReason] of [
      [r1OfferB, 'DECLINED', 'STAFFING'],
      [r1OfferA, 'ACCEPTED', null],
      [r2Offer, 'CANCELLED', null],
      [r3OfferB, 'DECLINED', 'NO_BED_AVAILABLE'],
      [r3OfferA, expect.any(String), null],
    ] as const) {
      expect({ offerId, ...(await offerRow(offerId)) }).toEqual({
        offerId,
        status,
        decline_reason: declineReason,
        decline_note: null,
        intake_instructions: null,
      });
    }
    // the bed change that named the referral lost its words; the one about beds kept them
    expect(await w.fx.count('capacity_event', 'reason LIKE $1', [`%CANARY-BEDNOTE-${RUN}%`])).toBe(0);
    expect(await w.fx.count('capacity_event', 'reason = $1', [PLAIN_BED_REASON])).toBe(1);
    // the event log is append-only: every row is still there as written, only the note cleared
    expect(await eventRows(r2.id)).toEqual(r2Events.map((e) => ({ ...e, note: null })));
    const r1EventsAfter = await eventRows(r1.id);
    expect(r1EventsAfter.slice(0, r1Events.length)).toEqual(r1Events.map((e) => ({ ...e, note: null })));
    expect(r1EventsAfter.slice(r1Events.length)).toEqual([
      expect.objectContaining({ from_state: 'PLACED', to_state: 'EXITED', note: null }),
    ]);

    // what the advocate and the shelter's staff read now
    for (const [id, state, events] of [
      [r1.id, 'EXITED', r1EventsAfter.length],
      [r2.id, 'WITHDRAWN', r2Events.length],
      [r3.id, 'CONSENT_REVOKED', (await eventRows(r3.id)).length],
    ] as const) {
      const view = await advocateView(id);
      expect(view).toMatchObject({ id, state, closedAt: expect.any(String), identity: null });
      expect(view.needs).toEqual({ age: 30, location: null });
      expect(view.events).toHaveLength(events);
      expect(view.events.filter((e: { note: unknown }) => e.note !== null)).toEqual([]);
      expect(view.offers.filter((o: { intakeInstructions: unknown }) => o.intakeInstructions !== null)).toEqual([]);
    }
    for (const offerId of [r1OfferA, r3OfferA]) {
      const { offer } = await call(STAFF_OFFER, { id: offerId }, w.tokens.staffA);
      expect(offer).toMatchObject({ stage: 'CLOSED', intakeInstructions: null, needs: null, identity: null });
    }
    purged.push(...ids);
  });

  it('the histories stay as written: the only change they take is the purge clearing a free text', async () => {
    expect(purged).toHaveLength(3);
    const refused = async (sql: string) => expect(w.fx.pg.query(sql)).rejects.toThrow(/append-only/);
    for (const [table, column] of [
      ['referral_event', 'note'],
      ['capacity_event', 'reason'],
    ] as const) {
      const { id } = await w.fx.one<{ id: string }>(`SELECT id FROM ${table} ORDER BY id LIMIT 1`);
      await refused(`UPDATE ${table} SET occurred_at = now() WHERE id = ${id}`);
      await refused(`UPDATE ${table} SET ${column} = 'rewritten' WHERE id = ${id}`);
      await refused(`UPDATE ${table} SET ${column} = NULL, occurred_at = now() WHERE id = ${id}`);
      await refused(`DELETE FROM ${table} WHERE id = ${id}`);
      await w.fx.pg.query(`UPDATE ${table} SET ${column} = NULL WHERE id = ${id}`);
    }
  });

  it('no table holds a survivor canary or a precise location; the shelter keeps only its own default', async () => {
    expect(purged).toHaveLength(3);
    const { leaks, scanned } = await tableLeaks([...SURVIVOR_CANARIES, SHELTER_DEFAULT]);
    expect(Object.keys(scanned)).toEqual(
      expect.arrayContaining(['referral', 'referral_event', 'offer', 'consent', 'outbox', 'identity_access']),
    );
    expect(scanned).toMatchObject({ referral: 3, offer: 5 });
    expect(scanned.referral_event).toBeGreaterThan(15);
    // the shelter's own default stays on the shelter (a positive control: the scan does find what is there)
    const onShelter = leaks.filter((l) => l.canary === SHELTER_DEFAULT && l.where.startsWith('shelter: '));
    expect(onShelter).toHaveLength(1);
    expect(leaks.filter((l) => !onShelter.includes(l))).toEqual([]);
  });

  it('no Redis key of this run holds a survivor canary, a precise location or the shelter default', async () => {
    expect(purged).toHaveLength(3);
    const { leaks, keys } = await redisLeaks([...SURVIVOR_CANARIES, SHELTER_DEFAULT]);
    expect(keys).toBeGreaterThan(10);
    // a positive control: the scan reads values (the jobs carry the referrals' ids, and nothing else of them)
    expect((await redisLeaks(purged)).leaks.length).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });

  it('no export and no coordinator report holds a survivor canary, a precise location or the shelter default', async () => {
    expect(purged).toHaveLength(3);
    const period = `from=${today.from}&to=${today.to}`;
    const downloads: [string, string][] = [];
    for (const [role, regionId] of [
      ['coordinator', w.regions.countyA],
      ['admin', w.regions.state],
      ['admin', w.regions.countyA],
    ] as const) {
      for (const path of [
        `capacity.csv?regionId=${regionId}`,
        `referral-statistics.csv?regionId=${regionId}&${period}`,
        `hmis-inventory.csv?regionId=${regionId}`,
        `directory.hsds.json`,
        `directory.hsds.json?regionId=${regionId}`,
      ]) {
        const response = await fetch(`${api.url}/exports/${path}`, {
          headers: { authorization: `Bearer ${w.tokens[role]}` },
        });
        const body = await response.text();
        expect({ role, path, status: response.status }).toEqual({ role, path, status: 200 });
        downloads.push([`${role} /exports/${path}`, body]);
      }
    }
    for (const [role, regionId] of [
      ['coordinator', w.regions.countyA],
      ['admin', w.regions.state],
    ] as const) {
      const token = w.tokens[role];
      const variables = { id: regionId, period: today };
      for (const [name, doc, vars] of [
        ['referralStatistics', DOC.referralStatistics, variables],
        ['unmetNeed', DOC.unmetNeed, variables],
        ['occupancy', DOC.occupancy, { ...variables, bucket: 'DAY' }],
        ['regionCapacity', DOC.regionCapacity, { id: regionId }],
      ] as const) {
        downloads.push([`${role} ${name}`, JSON.stringify(await call(doc, vars, token))]);
      }
    }
    // the statistics still count the purged referrals (three: fewer than k = 5, so withheld as such)
    const statistics = downloads.find(([where]) => where === 'admin referralStatistics')![1];
    expect(JSON.parse(statistics).referralStatistics.submitted).toMatchObject({ value: null, fewerThan: 5 });
    // a positive control: the exports are about these shelters
    expect(downloads.filter(([, body]) => body.includes('Harbor House North')).length).toBeGreaterThan(5);
    const leaks = downloads.flatMap(([where, body]) => leaksIn(where, body, [...SURVIVOR_CANARIES, SHELTER_DEFAULT]));
    expect(leaks).toEqual([]);
  });

  it('no log line of the API or the worker holds a survivor canary, a precise location or the shelter default', async () => {
    expect(purged).toHaveLength(3);
    const logs = [['api', api.output()], ...workers.map((worker, i) => [`worker ${i + 1}`, worker.output()])] as const;
    // the processes logged at debug level from start to finish, as JSON lines only: the scan reads all they wrote
    for (const [process, output] of logs) {
      const lines = output.split('\n').filter(Boolean);
      expect({ process, lines: lines.length > 0 }).toEqual({ process, lines: true });
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(logs[0][1]).toContain('Nest application successfully started');
    // every request the scenario made is logged (path only), on the default adapter too
    const requests = logs[0][1].split('\n').filter((line) => line.includes('"msg":"request completed"'));
    expect(requests.filter((line) => line.includes('"path":"/graphql"')).length).toBeGreaterThan(20);
    expect(requests.some((line) => line.includes('"path":"/exports/capacity.csv"'))).toBe(true);
    for (const [, output] of logs.slice(1)) expect(output).toContain('worker ready');
    const leaks = logs.flatMap(([process, output]) =>
      output
        .split('\n')
        .flatMap((line, i) =>
          leaksIn(`${process} log line ${i + 1}: ${line.slice(0, 200)}`, line, [...SURVIVOR_CANARIES, SHELTER_DEFAULT]),
        ),
    );
    expect(leaks).toEqual([]);
  });
});
