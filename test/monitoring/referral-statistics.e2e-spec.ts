import { createTestEnv, RunningApi, startApi, TestEnv } from '../support/app';
import { Fixtures } from '../support/fixtures';
import { errorCode, gql, GqlResult, login } from '../support/gql';

const PASSWORD = 'correct horse battery staple';
/** k, the small-cell threshold: counts from 1 to 4 read "fewer than 5". Set explicitly so the figures below hold. */
const K = 5;
/** Written into every free-text and identity-like column of the fixture; no statistics answer may carry it. */
const CANARY = 'CANARY';

const CELL = '{ value fewerThan text }';
const STATISTICS = `query($id: ID!, $p: PeriodInput!) {
  referralStatistics(regionId: $id, period: $p) {
    regionId regionName period { from to } suppressionThreshold submitted ${CELL}
    byState { state referrals ${CELL} }
    submissionToOffer { referrals ${CELL} medianSeconds p90Seconds }
    submissionToPlacement { referrals ${CELL} medianSeconds p90Seconds }
    shelters {
      shelterId shelterName offers ${CELL} accepted ${CELL} declined ${CELL} timedOut ${CELL}
      medianResponseSeconds acceptanceRate
    }
  }
}`;
const UNMET = `query($id: ID!, $p: PeriodInput!) {
  unmetNeed(regionId: $id, period: $p) {
    regionId regionName period { from to } suppressionThreshold
    referrals ${CELL} waitlisted ${CELL} closedWithoutPlacement ${CELL}
    reasons { reason detail label referrals ${CELL} }
  }
}`;
const COUNTS = '{ capacity occupied held outOfService available }';
const OCCUPANCY = `query($id: ID!, $p: PeriodInput!, $b: OccupancyBucket!, $tz: String) {
  occupancy(regionId: $id, period: $p, bucket: $b, timeZone: $tz) {
    regionId regionName bucket timeZone points { start end beds ${COUNTS} surge ${COUNTS} }
  }
}`;

/** A count shown as it is, and one withheld because it is from 1 to k − 1. */
const shown = (value: number) => ({ value, fewerThan: null, text: String(value) });
const HIDDEN = { value: null, fewerThan: K, text: 'fewer than 5' };
/** A count of k or more withheld only by secondary suppression: no bound is claimed for it. */
const WITHHELD = { value: null, fewerThan: null, text: 'withheld' };

const STATES = [
  'SUBMITTED',
  'AWAITING_CONSENT',
  'MATCHING',
  'OFFERED',
  'ACCEPTED',
  'PLACED',
  'EXITED',
  'WAITLISTED',
  'EXPIRED',
  'WITHDRAWN',
  'CONSENT_REVOKED',
];
/** Every state in schema order; states not named had no referral (zero is shown). */
const byState = (cells: Record<string, unknown>) =>
  STATES.map((state) => ({ state, referrals: cells[state] ?? shown(0) }));

/** Bed counts as the API returns them: [capacity, occupied, held, outOfService] and what is left. */
const beds = (capacity: number, occupied: number, held: number, outOfService: number) => ({
  capacity,
  occupied,
  held,
  outOfService,
  available: capacity - occupied - held - outOfService,
});

const iso = (at: string | number | Date) => new Date(at).toISOString();
const plus = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000);

/** The month of the fixture: [1 March 2025, 1 April 2025) UTC. */
const MARCH = { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' };

type Counts = [capacity: number, occupied: number, held: number, outOfService: number];
type OfferStatus = 'ACCEPTED' | 'DECLINED' | 'TIMED_OUT' | 'CANCELLED';

describe('referralStatistics, unmetNeed and occupancy on a hand-built region', () => {
  let env: TestEnv;
  let api: RunningApi;
  let fx: Fixtures;
  const r: Record<string, string> = {};
  const s: Record<string, string> = {};
  const p: Record<string, string> = {};
  const t: Record<string, string> = {};
  let agency: string;
  let advocate: string;
  let staff: string;
  /** Every answer body of the three queries, for the canary check at the end. */
  const bodies: string[] = [];

  /** `as` is a token, null for an anonymous caller, or left out for county A's coordinator. */
  const ask = async (query: string, variables: Record<string, unknown>, as?: string | null): Promise<GqlResult> => {
    const res = await gql(api.url, query, variables, as === undefined ? t.coordA : (as ?? undefined));
    bodies.push(JSON.stringify(res));
    return res;
  };
  const statistics = (id: string, period: { from: string; to: string }, as?: string | null) =>
    ask(STATISTICS, { id, p: period }, as);
  const unmet = (id: string, period: { from: string; to: string }, as?: string | null) =>
    ask(UNMET, { id, p: period }, as);
  const occupancy = (
    id: string,
    period: { from: string; to: string },
    bucket: 'HOUR' | 'DAY',
    timeZone?: string,
    as?: string | null,
  ) => ask(OCCUPANCY, { id, p: period, b: bucket, tz: timeZone ?? null }, as);

  let sequence = 0;
  /** A referral row with the needs the unmet-need report reads, and canaries in every free-text column. */
  async function referral(f: {
    region: string;
    submittedAt: string;
    state: string;
    languages?: string[];
    gender?: string;
    exclusions?: Record<string, number> | null;
    /** What blocked it (kept when waitlisted); default: every reason of `exclusions`. */
    blockedBy?: string[] | null;
  }): Promise<string> {
    sequence += 1;
    const needs = {
      age: 30,
      gender: f.gender ?? 'WOMAN',
      childrenAges: [],
      languages: f.languages ?? ['en'],
      traffickingTypes: ['SEX'],
      urgency: 'TONIGHT',
      location: null,
      radiusKm: null,
      excludedRegionIds: [],
      preferredRegionIds: [],
    };
    const identity = { kid: 'dev1', iv: `${CANARY}-IV`, tag: `${CANARY}-TAG`, data: `${CANARY}-IDENTITY-Jane Roe` };
    const { id } = await fx.one<{ id: string }>(
      `INSERT INTO referral (reference_code, agency_id, created_by, region_id, state, urgency, needs, identity,
                             last_exclusions, blocked_by, exit_destination, submitted_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'TONIGHT', $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
      [
        `${CANARY}-REF-${sequence}`,
        agency,
        advocate,
        f.region,
        f.state,
        JSON.stringify(needs),
        JSON.stringify(identity),
        f.exclusions ? JSON.stringify(f.exclusions) : null,
        f.blockedBy !== undefined ? f.blockedBy : f.exclusions ? Object.keys(f.exclusions).sort() : null,
        `${CANARY}-EXIT-DESTINATION`,
        f.submittedAt,
      ],
    );
    await event(id, 'SUBMITTED', 'AWAITING_CONSENT', new Date(f.submittedAt));
    return id;
  }

  const REASON_CODE: Record<string, string> = {
    AWAITING_CONSENT: 'SUBMITTED',
    PLACED: 'INTAKE_CONFIRMED',
    EXITED: 'EXITED',
  };

  async function event(referralId: string, from: string, to: string, at: Date): Promise<void> {
    await fx.pg.query(
      `INSERT INTO referral_event (referral_id, actor_user_id, from_state, to_state, reason, reason_code, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [referralId, advocate, from, to, `${CANARY}-EVENT-NOTE`, REASON_CODE[to], at],
    );
  }

  /** An offer (and the bed hold it needs) made at `offeredAt`, answered `answeredAfter` seconds later. */
  async function offer(
    referralId: string,
    shelter: 'a' | 'a1' | 'b',
    attempt: number,
    offeredAt: Date,
    status: OfferStatus,
    answeredAfter: number | null = null,
  ): Promise<void> {
    const respondedAt = answeredAfter === null ? null : new Date(offeredAt.getTime() + answeredAfter * 1000);
    const { id: hold } = await fx.one<{ id: string }>(
      `INSERT INTO bed_hold (referral_id, bed_pool_id, shelter_id, status, created_at, expires_at, ended_at, end_reason)
       VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '2 hours', $6, $7) RETURNING id`,
      [
        referralId,
        p[shelter],
        s[shelter],
        status === 'ACCEPTED' ? 'CONVERTED' : 'RELEASED',
        offeredAt,
        respondedAt ?? new Date(offeredAt.getTime() + 7_200_000),
        `${CANARY}-HOLD-END`,
      ],
    );
    await fx.pg.query(
      `INSERT INTO offer (referral_id, shelter_id, bed_hold_id, status, attempt, offered_at, respond_by, responded_at,
                          responded_by, decline_reason, decline_note, intake_instructions)
       VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz + interval '2 hours', $7, $8, $9, $10, $11)`,
      [
        referralId,
        s[shelter],
        hold,
        status,
        attempt,
        offeredAt,
        respondedAt,
        respondedAt ? staff : null,
        status === 'DECLINED' ? 'NO_BED' : null,
        status === 'DECLINED' ? `${CANARY}-DECLINE-NOTE` : null,
        status === 'ACCEPTED' ? `${CANARY}-INTAKE-INSTRUCTIONS` : null,
      ],
    );
  }

  /** A capacity event of a pool: its counts before (null for the pool's first event) and after, at `at`. */
  async function capacity(pool: string, at: string | Date, before: Counts | null, after: Counts): Promise<void> {
    const shelter = await fx.one<{ shelter_id: string }>(`SELECT shelter_id FROM bed_pool WHERE id = $1`, [pool]);
    await fx.pg.query(
      `INSERT INTO capacity_event (bed_pool_id, shelter_id, actor_user_id, kind, reason, occurred_at,
         capacity_before, occupied_before, held_before, out_of_service_before,
         capacity_after, occupied_after, held_after, out_of_service_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        pool,
        shelter.shelter_id,
        staff,
        before ? 'ADJUSTED' : 'POOL_CREATED',
        `${CANARY}-CAPACITY-REASON`,
        at,
        ...(before ?? [null, null, null, null]),
        ...after,
      ],
    );
  }

  beforeAll(async () => {
    env = await createTestEnv({ SMALL_CELL_K: String(K) });
    fx = new Fixtures(env.db.url);
    // the state; county A with district A1 below it; county B beside A
    r.state = await fx.region('ST', 'Stateland');
    r.a = await fx.region('ST-A', 'Alder County', r.state);
    r.a1 = await fx.region('ST-A-1', 'Alder North', r.a);
    r.b = await fx.region('ST-B', 'Birch County', r.state);

    const provider = await fx.organisation(`${CANARY}-ORG Harbor Provider`, 'SHELTER_PROVIDER');
    agency = await fx.organisation(`${CANARY}-ORG Lifeline Agency`, 'REFERRAL_AGENCY');
    const coalition = await fx.organisation(`${CANARY}-ORG Coalition`, 'COORDINATING_BODY');
    await fx.user('canary.coord.a@example.org', 'REGIONAL_COORDINATOR', coalition, [r.a]);
    await fx.user('canary.coord.a1@example.org', 'REGIONAL_COORDINATOR', coalition, [r.a1]);
    await fx.user('canary.coord.b@example.org', 'REGIONAL_COORDINATOR', coalition, [r.b]);
    await fx.user('canary.admin@example.org', 'ADMIN', null);
    staff = await fx.user('canary.staff@example.org', 'SHELTER_STAFF', provider);
    advocate = await fx.user('canary.advocate@example.org', 'HOTLINE_ADVOCATE', agency);

    // confidential shelters: their addresses and phones must never appear; their names are shown by design
    const confidential = (n: number) => ({
      address: `${CANARY}-ADDRESS-${n} Hidden Lane`,
      intakePhone: `${CANARY}-PHONE-${n}`,
      locationConfidential: true,
    });
    s.a = await fx.shelter(provider, r.a, { name: 'Alder Refuge', ...confidential(1) });
    s.a1 = await fx.shelter(provider, r.a1, { name: 'Alder North House', ...confidential(2) });
    s.b = await fx.shelter(provider, r.b, { name: 'Birch Haven', ...confidential(3) });
    await fx.pg.query(`UPDATE shelter SET intake_instructions = $1`, [`${CANARY}-SHELTER-INSTRUCTIONS`]);
    p.a = await fx.pool(s.a, 'SINGLE', 12, { occupied: 6, held: 1, outOfService: 1 });
    p.a1 = await fx.pool(s.a1, 'SINGLE', 6, { occupied: 3 });
    p.surge = await fx.pool(s.a, 'EMERGENCY_OVERFLOW', 5, { occupied: 2 });
    p.b = await fx.pool(s.b, 'SINGLE', 100, { occupied: 60 });

    // ── referrals of county A (and district A1) submitted in March 2025 ──────────────────────────────────────────
    // P1–P5 placed, P6 placed and since exited. Offer delays after submission: 60, 120, 300 (P3's first offer,
    // declined; its second came at 1500), 600, 900, 1200 s. Placement delays: 1800, 3600, 5400, 7200, 9000, 36000 s.
    const placed: [string, string, number, [string, number, OfferStatus, number][]][] = [
      ['a', '2025-03-03T10:00:00Z', 1800, [['a', 60, 'ACCEPTED', 30]]],
      ['a1', '2025-03-04T10:00:00Z', 3600, [['a1', 120, 'ACCEPTED', 45]]],
      [
        'a',
        '2025-03-05T10:00:00Z',
        5400,
        [
          ['a1', 300, 'DECLINED', 900],
          ['a', 1500, 'ACCEPTED', 60],
        ],
      ],
      ['a1', '2025-03-06T10:00:00Z', 7200, [['a1', 600, 'ACCEPTED', 75]]],
      ['a', '2025-03-07T10:00:00Z', 9000, [['a', 900, 'ACCEPTED', 90]]],
      ['a', '2025-03-08T10:00:00Z', 36000, [['a', 1200, 'ACCEPTED', 120]]],
    ];
    for (const [i, [region, at, placedAfter, offers]] of placed.entries()) {
      const exited = i === 5;
      const id = await referral({
        region: r[region],
        submittedAt: at,
        state: exited ? 'EXITED' : 'PLACED',
        // once waitlisted, then placed: no longer unmet, so its exclusions must not count
        exclusions: exited ? { NO_FAMILY_UNIT: 2 } : null,
      });
      for (const [n, [shelter, after, status, answered]] of offers.entries()) {
        await offer(id, shelter as 'a' | 'a1', n + 1, plus(at, after), status, answered);
      }
      await event(id, 'ACCEPTED', 'PLACED', plus(at, placedAfter));
      if (exited) await event(id, 'PLACED', 'EXITED', plus(at, placedAfter + 86_400));
    }

    // W1–W7 waitlisted, E1–E6 expired: the unmet need. W1 was offered a bed 3600 s after submission and W2 7200 s
    // after (on 1 April, outside the month); both offers timed out.
    const w1 = await referral({
      region: r.a,
      submittedAt: '2025-03-10T10:00:00Z',
      state: 'WAITLISTED',
      languages: ['es'],
      exclusions: { LANGUAGE: 3, NO_AVAILABLE_BED: 2 },
    });
    await offer(w1, 'a', 1, plus('2025-03-10T10:00:00Z', 3600), 'TIMED_OUT');
    const w2 = await referral({
      region: r.a,
      submittedAt: '2025-03-31T23:00:00Z',
      state: 'WAITLISTED',
      languages: ['es'],
      exclusions: { LANGUAGE: 2, NO_FAMILY_UNIT: 1 },
    });
    await offer(w2, 'a', 1, plus('2025-03-31T23:00:00Z', 7200), 'TIMED_OUT');
    const unmetReferrals: Parameters<typeof referral>[0][] = [
      // W3–W7
      {
        region: r.a,
        submittedAt: '2025-03-11T10:00:00Z',
        state: 'WAITLISTED',
        languages: ['es', 'vi'],
        exclusions: { LANGUAGE: 4 },
      },
      {
        region: r.a,
        submittedAt: '2025-03-12T10:00:00Z',
        state: 'WAITLISTED',
        languages: ['vi'],
        gender: 'MAN',
        exclusions: { LANGUAGE: 1, GENDER: 3 },
      },
      {
        region: r.a,
        submittedAt: '2025-03-13T10:00:00Z',
        state: 'WAITLISTED',
        gender: 'MAN',
        exclusions: { GENDER: 2, NO_FAMILY_UNIT: 1 },
      },
      {
        region: r.a1,
        submittedAt: '2025-03-14T10:00:00Z',
        state: 'WAITLISTED',
        languages: ['es'],
        exclusions: { LANGUAGE: 1, NO_FAMILY_UNIT: 2 },
      },
      { region: r.a1, submittedAt: '2025-03-15T10:00:00Z', state: 'WAITLISTED', exclusions: null },
      // E1–E6
      {
        region: r.a,
        submittedAt: '2025-03-16T10:00:00Z',
        state: 'EXPIRED',
        languages: ['es'],
        gender: 'MAN',
        exclusions: { LANGUAGE: 1, GENDER: 1, NO_FAMILY_UNIT: 1 },
      },
      {
        region: r.a,
        submittedAt: '2025-03-17T10:00:00Z',
        state: 'EXPIRED',
        languages: ['fr'],
        exclusions: { LANGUAGE: 2 },
      },
      {
        region: r.a,
        submittedAt: '2025-03-18T10:00:00Z',
        state: 'EXPIRED',
        gender: 'NON_BINARY',
        exclusions: { GENDER: 5, LGBTQ_AFFIRMING: 1 },
      },
      {
        region: r.a,
        submittedAt: '2025-03-19T10:00:00Z',
        state: 'EXPIRED',
        gender: 'MAN',
        exclusions: { GENDER: 2, NO_FAMILY_UNIT: 3 },
      },
      {
        region: r.a,
        submittedAt: '2025-03-20T10:00:00Z',
        state: 'EXPIRED',
        languages: ['es'],
        gender: 'MAN',
        exclusions: { GENDER: 1, LANGUAGE: 1, NO_FAMILY_UNIT: 1 },
      },
      {
        region: r.a,
        submittedAt: '2025-03-21T10:00:00Z',
        state: 'EXPIRED',
        exclusions: { NO_AVAILABLE_BED: 4 },
      },
    ];
    for (const f of unmetReferrals) await referral(f);

    // ── referrals that must not count for county A in March ───────────────────────────────────────────────────────
    // one second before March, exactly at its (exclusive) end, in county B, and in the state above county A
    const outside = { state: 'WAITLISTED', languages: ['es'], exclusions: { LANGUAGE: 1, NO_FAMILY_UNIT: 1 } };
    await referral({ ...outside, region: r.a, submittedAt: '2025-02-28T23:59:59Z' });
    await referral({ ...outside, region: r.a, submittedAt: '2025-04-01T00:00:00Z' });
    await referral({ ...outside, region: r.b, submittedAt: '2025-03-15T10:00:00Z' });
    await referral({ ...outside, region: r.state, submittedAt: '2025-03-15T10:00:00Z' });

    // ── offers to Alder Refuge in March from county B's February referrals (they count for the shelter only) ─────
    // X1–X3 accepted after 150, 180, 210 s; X4–X8 declined after 300, 400, 600, 800, 1000 s; X9 cancelled.
    const fromB: [OfferStatus, number | null][] = [
      ['ACCEPTED', 150],
      ['ACCEPTED', 180],
      ['ACCEPTED', 210],
      ['DECLINED', 300],
      ['DECLINED', 400],
      ['DECLINED', 600],
      ['DECLINED', 800],
      ['DECLINED', 1000],
      ['CANCELLED', null],
    ];
    for (const [i, [status, answered]] of fromB.entries()) {
      const x = await referral({ region: r.b, submittedAt: '2025-02-20T12:00:00Z', state: 'WITHDRAWN' });
      await offer(x, 'a', 1, plus('2025-03-20T12:00:00Z', i * 600), status, answered);
    }
    // X10: an offer to Alder Refuge in February; X11: one to Birch Haven (county B) in March
    const x10 = await referral({ region: r.b, submittedAt: '2025-02-20T12:00:00Z', state: 'WITHDRAWN' });
    await offer(x10, 'a', 1, new Date('2025-02-25T12:00:00Z'), 'ACCEPTED', 5);
    const x11 = await referral({ region: r.b, submittedAt: '2025-02-20T12:00:00Z', state: 'WITHDRAWN' });
    await offer(x11, 'b', 1, new Date('2025-03-20T12:00:00Z'), 'ACCEPTED', 5);

    // ── capacity events (counts before → after, [capacity, occupied, held, out of service]) ──────────────────────
    await capacity(p.a, '2025-03-01T00:00:00Z', null, [10, 0, 0, 0]);
    await capacity(p.a, '2025-03-10T05:00:00Z', [10, 0, 0, 0], [10, 4, 0, 0]);
    await capacity(p.a, '2025-03-10T23:30:00Z', [10, 4, 0, 0], [10, 4, 0, 1]);
    await capacity(p.a, '2025-03-11T03:00:00Z', [10, 4, 0, 1], [10, 6, 1, 1]);
    await capacity(p.a, '2025-03-12T12:00:00Z', [10, 6, 1, 1], [12, 6, 1, 1]);
    await capacity(p.a1, '2025-03-05T00:00:00Z', null, [6, 2, 0, 0]);
    await capacity(p.a1, '2025-03-11T05:30:00Z', [6, 2, 0, 0], [6, 3, 0, 0]);
    await capacity(p.surge, '2025-03-09T00:00:00Z', null, [5, 0, 0, 0]);
    await capacity(p.surge, '2025-03-11T04:00:00Z', [5, 0, 0, 0], [5, 2, 0, 0]);
    await capacity(p.b, '2025-03-01T00:00:00Z', null, [100, 50, 0, 0]);
    await capacity(p.b, '2025-03-11T01:00:00Z', [100, 50, 0, 0], [100, 60, 0, 0]);

    api = await startApi(env);
    for (const [key, who] of [
      ['coordA', 'coord.a'],
      ['coordA1', 'coord.a1'],
      ['coordB', 'coord.b'],
      ['admin', 'admin'],
      ['staff', 'staff'],
      ['advocate', 'advocate'],
    ]) {
      t[key] = await login(api.url, `canary.${who}@example.org`, PASSWORD);
    }
  });
  afterAll(async () => {
    await api?.close();
    await fx?.close();
    await env?.cleanup();
  });

  describe('referralStatistics', () => {
    it('counts county A and district A1 for March: states, times to offer and placement, shelters', async () => {
      const res = await statistics(r.a, MARCH);
      expect(res.errors).toBeUndefined();
      expect(res.data.referralStatistics).toEqual({
        regionId: r.a,
        regionName: 'Alder County',
        period: MARCH,
        suppressionThreshold: 5,
        // P1–P6 + W1–W7 + E1–E6 = 19 (not the four outside: February, 1 April, county B, the state); withheld,
        // as the table beside it withholds a count: 19 − 5 − 7 − 6 would give EXITED away
        submitted: WITHHELD,
        // PLACED 5 (P1–P5), EXITED 1 (P6), WAITLISTED 7, EXPIRED 6
        byState: byState({ PLACED: shown(5), EXITED: HIDDEN, WAITLISTED: shown(7), EXPIRED: shown(6) }),
        submissionToOffer: {
          // P1–P6, W1, W2 (W2's offer fell on 1 April: the referral was submitted in March, so it counts)
          referrals: shown(8),
          // sorted 60 120 300 600 900 1200 3600 7200; median at rank 3.5 → (600 + 900) / 2
          medianSeconds: 750,
          // rank 0.9 × 7 = 6.3 → 3600 + 0.3 × (7200 − 3600)
          p90Seconds: 4680,
        },
        submissionToPlacement: {
          // P1–P6 (P6 exited since, but its PLACED event counts): 6, but that is PLACED + EXITED, and EXITED is
          // withheld above, so it is withheld too; the times are about 6 referrals, at least k, and shown
          referrals: WITHHELD,
          // sorted 1800 3600 5400 7200 9000 36000; rank 2.5 → (5400 + 7200) / 2
          medianSeconds: 6300,
          // rank 0.9 × 5 = 4.5 → 9000 + 0.5 × (36000 − 9000)
          p90Seconds: 22500,
        },
        // by name; Birch Haven (county B) is not listed
        shelters: [
          {
            shelterId: s.a1,
            shelterName: 'Alder North House',
            // P2 accepted, P3 declined, P4 accepted: 3 offers
            offers: HIDDEN,
            accepted: HIDDEN,
            declined: HIDDEN,
            timedOut: shown(0),
            medianResponseSeconds: null, // 3 answers, fewer than k
            acceptanceRate: null, // 3 ended offers, fewer than k
          },
          {
            shelterId: s.a,
            shelterName: 'Alder Refuge',
            // accepted: P1, P3 (second offer), P5, P6, X1–X3 = 7; declined X4–X8 = 5; timed out W1 = 1;
            // cancelled X9 = 1 → 14 offers. Not W2's (1 April) nor X10's (February).
            // 14 offers, withheld: timed out (1) and cancelled (1) are, and 14 − 7 − 5 would give them away
            offers: WITHHELD,
            accepted: shown(7),
            declined: shown(5),
            timedOut: HIDDEN,
            // answers after 30 60 90 120 150 180 210 300 400 600 800 1000 s (12, sorted); rank 5.5 → (180 + 210) / 2
            medianResponseSeconds: 195,
            // 7 accepted ÷ 13 ended (7 + 5 + 1; the cancelled offer did not end in an answer) would be 0.538, but
            // beside withheld counts it would give them away (13 − 7 = declined + timed out): withheld too
            acceptanceRate: null,
          },
        ],
      });
    });

    it('exactly k referrals are shown, with their median and p90', async () => {
      // [1 March, 8 March): P1–P5 only
      const res = await statistics(r.a, { from: MARCH.from, to: '2025-03-08T00:00:00.000Z' });
      expect(res.errors).toBeUndefined();
      const stats = res.data.referralStatistics;
      expect(stats.submitted).toEqual(shown(5));
      expect(stats.byState).toEqual(byState({ PLACED: shown(5) }));
      expect(stats.submissionToOffer).toEqual({
        referrals: shown(5),
        medianSeconds: 300, // 60 120 300 600 900: the middle one
        p90Seconds: 780, // rank 0.9 × 4 = 3.6 → 600 + 0.6 × (900 − 600)
      });
      expect(stats.submissionToPlacement).toEqual({
        referrals: shown(5),
        medianSeconds: 5400, // 1800 3600 5400 7200 9000
        p90Seconds: 8280, // rank 3.6 → 7200 + 0.6 × (9000 − 7200)
      });
      // offers made before 8 March: P2, P3 (declined), P4 to Alder North House; P1, P3, P5 to Alder Refuge
      expect(stats.shelters).toEqual([
        expect.objectContaining({
          shelterName: 'Alder North House',
          offers: HIDDEN,
          accepted: HIDDEN,
          declined: HIDDEN,
          timedOut: shown(0),
        }),
        {
          shelterId: s.a,
          shelterName: 'Alder Refuge',
          // 3 offers: a total fewer than k reads so
          offers: HIDDEN,
          accepted: HIDDEN,
          declined: shown(0),
          timedOut: shown(0),
          medianResponseSeconds: null,
          acceptanceRate: null,
        },
      ]);
    });

    it('district A1 alone: fewer than k of everything, so no times at all', async () => {
      const res = await statistics(r.a1, MARCH);
      expect(res.errors).toBeUndefined();
      expect(res.data.referralStatistics).toEqual({
        regionId: r.a1,
        regionName: 'Alder North',
        period: MARCH,
        suppressionThreshold: 5,
        submitted: HIDDEN, // P2, P4, W6, W7
        // two counts withheld, and the total of 4 reads "fewer than 5"
        byState: byState({ PLACED: HIDDEN, WAITLISTED: HIDDEN }),
        submissionToOffer: { referrals: HIDDEN, medianSeconds: null, p90Seconds: null }, // P2, P4
        submissionToPlacement: { referrals: HIDDEN, medianSeconds: null, p90Seconds: null }, // P2, P4
        shelters: [expect.objectContaining({ shelterId: s.a1, shelterName: 'Alder North House', offers: HIDDEN })],
      });
    });

    it('an admin reads any region; the state counts both counties and its own referrals', async () => {
      const county = await statistics(r.a, MARCH, t.admin);
      expect(county.errors).toBeUndefined();
      expect(county.data.referralStatistics.submitted).toEqual(WITHHELD);
      expect(county.data.referralStatistics.byState).toEqual(
        byState({ PLACED: shown(5), EXITED: HIDDEN, WAITLISTED: shown(7), EXPIRED: shown(6) }),
      );
      expect(county.data.referralStatistics.submissionToOffer.medianSeconds).toBe(750);

      const state = await statistics(r.state, MARCH, t.admin);
      expect(state.errors).toBeUndefined();
      const stats = state.data.referralStatistics;
      // county A's 19, county B's one in March and the state's own one (both waitlisted): 21, withheld beside EXITED
      expect(stats.submitted).toEqual(WITHHELD);
      expect(stats.byState).toEqual(
        byState({ PLACED: shown(5), EXITED: HIDDEN, WAITLISTED: shown(9), EXPIRED: shown(6) }),
      );
      // X11's offer to Birch Haven counts now
      expect(stats.shelters.map((x: { shelterName: string }) => x.shelterName)).toEqual([
        'Alder North House',
        'Alder Refuge',
        'Birch Haven',
      ]);
      expect(stats.shelters[2]).toMatchObject({ shelterId: s.b, offers: HIDDEN, accepted: HIDDEN });
    });
  });

  describe('unmetNeed', () => {
    it('county A in March: waitlisted and closed, and what the referrals needed', async () => {
      const res = await unmet(r.a, MARCH);
      expect(res.errors).toBeUndefined();
      expect(res.data.unmetNeed).toEqual({
        regionId: r.a,
        regionName: 'Alder County',
        period: MARCH,
        suppressionThreshold: 5,
        // W1–W7 + E1–E6 (not P6, exited with exclusions of an earlier run): sums of states none of which is
        // withheld in the by-state table (see referralStatistics)
        referrals: shown(13),
        waitlisted: shown(7),
        closedWithoutPlacement: shown(6), // E1–E6
        reasons: expect.any(Array),
      });
      const { reasons } = res.data.unmetNeed;
      // the counts shown come first, most first, ties by reason
      expect(reasons.slice(0, 3)).toEqual([
        // W2, W5, W6, E1, E4, E5
        { reason: 'NO_FAMILY_UNIT', detail: null, label: 'needs a family unit', referrals: shown(6) },
        // W4, W5, E1, E4, E5 are men
        { reason: 'GENDER', detail: 'MAN', label: 'needs gender served: men', referrals: shown(5) },
        // W1, W2, W6, E1, E5 needed Spanish (only) where LANGUAGE excluded shelters; W3 needed Spanish or
        // Vietnamese, a different need
        { reason: 'LANGUAGE', detail: 'es', label: 'needs language: es', referrals: shown(5) },
      ]);
      // then the withheld ones; their order is not pinned (ordered by their counts, it would hint at them)
      expect(reasons.slice(3)).toHaveLength(4);
      expect(reasons.slice(3)).toEqual(
        expect.arrayContaining([
          // Spanish or Vietnamese (W3), Vietnamese (W4) and French (E2), each fewer than k, fold into one row
          {
            reason: 'LANGUAGE',
            detail: null,
            label: 'needs language: other (each fewer than the reporting threshold)',
            referrals: HIDDEN,
          },
          // W1, E6
          { reason: 'NO_AVAILABLE_BED', detail: null, label: 'needs a free bed', referrals: HIDDEN },
          // E3 (non-binary) alone
          {
            reason: 'GENDER',
            detail: null,
            label: 'needs gender served: other (each fewer than the reporting threshold)',
            referrals: HIDDEN,
          },
          // E3
          { reason: 'LGBTQ_AFFIRMING', detail: null, label: 'needs an LGBTQ-affirming shelter', referrals: HIDDEN },
        ]),
      );
    });

    it('district A1 alone: its rare Spanish request folds away; counts read "fewer than 5"', async () => {
      const res = await unmet(r.a1, MARCH);
      expect(res.errors).toBeUndefined();
      expect(res.data.unmetNeed).toEqual({
        regionId: r.a1,
        regionName: 'Alder North',
        period: MARCH,
        suppressionThreshold: 5,
        referrals: { value: null, fewerThan: 5, text: 'fewer than 5' }, // W6, W7
        waitlisted: HIDDEN,
        // the sum of states that are all 0
        closedWithoutPlacement: shown(0),
        reasons: expect.any(Array),
      });
      const { reasons } = res.data.unmetNeed;
      expect(reasons).toHaveLength(2);
      expect(reasons).toEqual(
        expect.arrayContaining([
          // W6 alone asked for Spanish: fewer than k, so no detail
          {
            reason: 'LANGUAGE',
            detail: null,
            label: 'needs language: other (each fewer than the reporting threshold)',
            referrals: HIDDEN,
          },
          { reason: 'NO_FAMILY_UNIT', detail: null, label: 'needs a family unit', referrals: HIDDEN },
        ]),
      );
    });

    it('the state: both counties and its own referrals', async () => {
      const res = await unmet(r.state, MARCH, t.admin);
      expect(res.errors).toBeUndefined();
      const need = res.data.unmetNeed;
      // county A's 13, plus county B's and the state's waitlisted referral (Spanish; LANGUAGE and NO_FAMILY_UNIT)
      expect(need).toMatchObject({ referrals: shown(15), waitlisted: shown(9), closedWithoutPlacement: shown(6) });
      expect(need.reasons.slice(0, 2)).toEqual([
        { reason: 'NO_FAMILY_UNIT', detail: null, label: 'needs a family unit', referrals: shown(8) },
        { reason: 'LANGUAGE', detail: 'es', label: 'needs language: es', referrals: shown(7) },
      ]);
    });
  });

  describe('occupancy', () => {
    it('DAY buckets in UTC: counts at the end of each day, surge apart, county B left out', async () => {
      const res = await occupancy(r.a, { from: '2025-03-10T00:00:00Z', to: '2025-03-13T00:00:00Z' }, 'DAY');
      expect(res.errors).toBeUndefined();
      expect(res.data.occupancy).toEqual({
        regionId: r.a,
        regionName: 'Alder County',
        bucket: 'DAY',
        timeZone: 'UTC',
        points: [
          {
            start: '2025-03-10T00:00:00.000Z',
            end: '2025-03-11T00:00:00.000Z',
            // Alder Refuge 10/4/0/1 (created 1 March, before the period; 4 in at 05:00, 1 out of service at 23:30)
            // + Alder North House 6/2/0/0
            beds: beds(16, 6, 0, 1),
            surge: beds(5, 0, 0, 0), // created 9 March
          },
          {
            start: '2025-03-11T00:00:00.000Z',
            end: '2025-03-12T00:00:00.000Z',
            // Refuge 10/6/1/1 at 03:00; North House 6/3 at 05:30; surge 2 occupied at 04:00
            beds: beds(16, 9, 1, 1),
            surge: beds(5, 2, 0, 0),
          },
          {
            start: '2025-03-12T00:00:00.000Z',
            end: '2025-03-13T00:00:00.000Z',
            beds: beds(18, 9, 1, 1), // Refuge capacity 10 → 12 at 12:00
            surge: beds(5, 2, 0, 0),
          },
        ],
      });
    });

    it('HOUR buckets: an event on the hour falls in the bucket it starts', async () => {
      const res = await occupancy(r.a, { from: '2025-03-11T02:00:00Z', to: '2025-03-11T06:00:00Z' }, 'HOUR');
      expect(res.errors).toBeUndefined();
      const hour = (h: number) => `2025-03-11T0${h}:00:00.000Z`;
      expect(res.data.occupancy.points).toEqual([
        // before 03:00: Refuge 10/4/0/1 + North House 6/2
        { start: hour(2), end: hour(3), beds: beds(16, 6, 0, 1), surge: beds(5, 0, 0, 0) },
        // Refuge 10/6/1/1 at 03:00
        { start: hour(3), end: hour(4), beds: beds(16, 8, 1, 1), surge: beds(5, 0, 0, 0) },
        // surge 5/2 at 04:00
        { start: hour(4), end: hour(5), beds: beds(16, 8, 1, 1), surge: beds(5, 2, 0, 0) },
        // North House 6/3 at 05:30
        { start: hour(5), end: hour(6), beds: beds(16, 9, 1, 1), surge: beds(5, 2, 0, 0) },
      ]);
    });

    it('DAY buckets in America/Chicago: local days (9 March has 23 hours) move the boundary', async () => {
      // local 9, 10 and 11 March; daylight saving began at 02:00 on 9 March (UTC−6 → UTC−5)
      const res = await occupancy(
        r.a,
        { from: '2025-03-09T06:00:00Z', to: '2025-03-12T05:00:00Z' },
        'DAY',
        'America/Chicago',
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.occupancy.timeZone).toBe('America/Chicago');
      expect(res.data.occupancy.points).toEqual([
        {
          start: '2025-03-09T06:00:00.000Z',
          end: '2025-03-10T05:00:00.000Z',
          // before 05:00Z on the 10th: Refuge 10/0 (its 05:00Z change starts the next local day), North House 6/2
          beds: beds(16, 2, 0, 0),
          surge: beds(5, 0, 0, 0),
        },
        {
          start: '2025-03-10T05:00:00.000Z',
          end: '2025-03-11T05:00:00.000Z',
          // unlike the UTC day (16/6/0/1), this local day holds the Refuge's 03:00Z change and the surge's 04:00Z one
          beds: beds(16, 8, 1, 1),
          surge: beds(5, 2, 0, 0),
        },
        {
          start: '2025-03-11T05:00:00.000Z',
          end: '2025-03-12T05:00:00.000Z',
          beds: beds(16, 9, 1, 1), // North House 6/3 at 05:30Z; the Refuge's capacity change is at 12:00Z on the 12th
          surge: beds(5, 2, 0, 0),
        },
      ]);
    });

    it('HOUR buckets in a zone with daylight saving are still whole, consecutive hours', async () => {
      // county B's pool (100 beds, 60 occupied since 11 March) takes one more resident at 06:30Z on 2 November
      // 2025, in the hour Chicago repeats (01:30 CDT; clocks fall back to 01:00 CST at 07:00Z)
      await capacity(p.b, '2025-11-02T06:30:00Z', [100, 60, 0, 0], [100, 61, 0, 0]);
      // as every change does, the pool's row too: today's counts are where the series is worked back from
      await fx.pg.query(`UPDATE bed_pool SET occupied = 61 WHERE id = $1`, [p.b]);
      const hourly = (from: string, to: string, occupied: (start: number) => number) => {
        const points = [];
        for (let at = Date.parse(from); at < Date.parse(to); at += 3_600_000) {
          const start = iso(at);
          points.push({
            start,
            end: iso(at + 3_600_000),
            beds: beds(100, occupied(at), 0, 0),
            surge: beds(0, 0, 0, 0),
          });
        }
        return points;
      };
      const springFrom = '2025-03-09T06:00:00.000Z'; // Chicago springs forward at 08:00Z
      const springTo = '2025-03-09T10:00:00.000Z';
      const fallFrom = '2025-11-02T04:00:00.000Z';
      const fallTo = '2025-11-02T09:00:00.000Z';
      const spring = await occupancy(r.b, { from: springFrom, to: springTo }, 'HOUR', 'America/Chicago', t.coordB);
      const fall = await occupancy(r.b, { from: fallFrom, to: fallTo }, 'HOUR', 'America/Chicago', t.coordB);
      expect([spring.errors, fall.errors]).toEqual([undefined, undefined]);
      expect([spring.data.occupancy.points, fall.data.occupancy.points]).toEqual([
        // 06:00Z to 10:00Z: four hours, 50 occupied throughout
        hourly(springFrom, springTo, () => 50),
        // 04:00Z to 09:00Z: five hours; 61 occupied at the end of the 06:00Z hour and after
        hourly(fallFrom, fallTo, (at) => (at >= Date.parse('2025-11-02T06:00:00Z') ? 61 : 60)),
      ]);
    });

    it('a period running into the future ends now; the bucket now running counts up to now', async () => {
      // stay clear of an hour boundary, so this hour is the same for the test and the API
      const into = Date.now() % 3_600_000;
      if (into < 5_000) await new Promise((resolve) => setTimeout(resolve, 5_000 - into));
      if (into > 3_600_000 - 30_000) await new Promise((resolve) => setTimeout(resolve, 3_600_000 - into + 5_000));
      const hour = Date.now() - (Date.now() % 3_600_000);
      const family = await fx.pool(s.a1, 'FAMILY_UNIT', 4, { occupied: 3 });
      await capacity(family, new Date(hour - 90 * 60_000), null, [4, 1, 0, 0]);
      await capacity(family, new Date(hour - 30 * 60_000), [4, 1, 0, 0], [4, 2, 0, 0]);
      await capacity(family, new Date(hour), [4, 2, 0, 0], [4, 3, 0, 0]);

      const res = await occupancy(r.a, { from: iso(hour - 2 * 3_600_000), to: iso(hour + 5 * 3_600_000) }, 'HOUR');
      expect(res.errors).toBeUndefined();
      // every March change counts towards the first bucket: Refuge 12/6/1/1 + North House 6/3/0/0 = 18/9/1/1
      expect(res.data.occupancy.points).toEqual([
        // + family units 4/1 (90 minutes before this hour)
        { start: iso(hour - 7_200_000), end: iso(hour - 3_600_000), beds: beds(22, 10, 1, 1), surge: beds(5, 2, 0, 0) },
        // + 1 occupied half an hour before this hour
        { start: iso(hour - 3_600_000), end: iso(hour), beds: beds(22, 11, 1, 1), surge: beds(5, 2, 0, 0) },
        // this hour, still running: its change on the hour; no buckets after now
        { start: iso(hour), end: iso(hour + 3_600_000), beds: beds(22, 12, 1, 1), surge: beds(5, 2, 0, 0) },
      ]);
    });
  });

  describe('who may ask', () => {
    const queries = [
      (id: string, as: string | null) => statistics(id, MARCH, as),
      (id: string, as: string | null) => unmet(id, MARCH, as),
      (id: string, as: string | null) =>
        occupancy(id, { from: '2025-03-10T00:00:00Z', to: '2025-03-11T00:00:00Z' }, 'DAY', undefined, as),
    ];

    it('a coordinator of a sibling county, or of the district below, gets NOT_FOUND for county A', async () => {
      for (const query of queries) {
        expect(errorCode(await query(r.a, t.coordB))).toBe('NOT_FOUND');
        expect(errorCode(await query(r.a, t.coordA1))).toBe('NOT_FOUND');
        expect(errorCode(await query(r.state, t.coordA))).toBe('NOT_FOUND');
        expect(errorCode(await query(r.b, t.coordA))).toBe('NOT_FOUND');
        // the district below their own county is theirs
        expect((await query(r.a1, t.coordA)).errors).toBeUndefined();
      }
    });

    it('shelter staff and hotline advocates are refused; anonymous callers must sign in; admins see all', async () => {
      for (const query of queries) {
        expect(errorCode(await query(r.a, t.staff))).toBe('FORBIDDEN');
        expect(errorCode(await query(r.a, t.advocate))).toBe('FORBIDDEN');
        expect(errorCode(await query(r.a, null))).toBe('UNAUTHENTICATED');
        expect((await query(r.b, t.admin)).errors).toBeUndefined();
      }
    });
  });

  describe('bad input', () => {
    const badInput = (res: GqlResult, field: string) => {
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe(field);
      expect(res.errors?.[0].message).toContain(field);
      expect(res.data).toBeFalsy();
    };

    it('a period that ends before (or when) it starts', async () => {
      const reversed = { from: '2025-03-10T00:00:00Z', to: '2025-03-09T00:00:00Z' };
      badInput(await statistics(r.a, reversed), 'to');
      badInput(await unmet(r.a, reversed), 'to');
      badInput(await occupancy(r.a, reversed, 'DAY'), 'to');
      badInput(await statistics(r.a, { from: MARCH.from, to: MARCH.from }), 'to');
    });

    it('a period longer than 366 days; 366 days exactly is fine', async () => {
      // 2024 is a leap year: 1 January 2024 to 1 January 2025 is 366 days, to 2 January 367
      const long = { from: '2024-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' };
      badInput(await statistics(r.a, long), 'to');
      badInput(await unmet(r.a, long), 'to');
      badInput(await occupancy(r.a, long, 'DAY'), 'to');
      const year = { from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' };
      expect((await statistics(r.a, year)).errors).toBeUndefined();
      const days = await occupancy(r.a, year, 'DAY');
      expect(days.errors).toBeUndefined();
      expect(days.data.occupancy.points).toHaveLength(366);
    });

    it('more than 744 HOUR buckets; 744 (31 days) is fine', async () => {
      badInput(await occupancy(r.a, { from: '2025-01-01T00:00:00Z', to: '2025-02-01T01:00:00Z' }, 'HOUR'), 'to');
      const month = await occupancy(r.a, { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' }, 'HOUR');
      expect(month.errors).toBeUndefined();
      expect(month.data.occupancy.points).toHaveLength(744);
    });

    it('a series never has more than 744 HOUR buckets, even when the period does not start on the hour', async () => {
      // 744 hours from half past: either refused, or at most 744 buckets
      const res = await occupancy(r.a, { from: '2025-01-01T00:30:00Z', to: '2025-02-01T00:30:00Z' }, 'HOUR');
      if (res.errors) badInput(res, 'to');
      else expect(res.data.occupancy.points.length).toBeLessThanOrEqual(744);
    });

    it('an unknown time zone, and an occupancy period starting in the future', async () => {
      const march10 = { from: '2025-03-10T00:00:00Z', to: '2025-03-11T00:00:00Z' };
      badInput(await occupancy(r.a, march10, 'DAY', 'Mars/Olympus_Mons'), 'timeZone');
      badInput(await occupancy(r.a, march10, 'HOUR', 'Atlantis/Nowhere'), 'timeZone');
      const later = Date.now() + 3_600_000;
      badInput(await occupancy(r.a, { from: iso(later), to: iso(later + 86_400_000) }, 'HOUR'), 'from');
    });
  });

  it('no answer carries an address, phone, identity, note or any other free text of the fixture', async () => {
    // every answer above, and one more of each query for county A as an admin
    await statistics(r.a, MARCH, t.admin);
    await unmet(r.a, MARCH, t.admin);
    await occupancy(r.a, { from: '2025-03-09T00:00:00Z', to: '2025-03-13T00:00:00Z' }, 'HOUR', 'UTC', t.admin);
    expect(bodies.filter((body) => body.includes('"data":{')).length).toBeGreaterThan(20);
    for (const body of bodies) {
      // shelter names are shown by design; none of the fixture's names carries the canary
      expect(body.toUpperCase()).not.toContain(CANARY);
      expect(body).not.toMatch(/Hidden Lane|Jane Roe|example\.org|NO_BED/);
    }
    // and the canary is really in the database, where these answers could have picked it up
    const planted = await fx.one<{ n: string }>(
      `SELECT (SELECT count(*) FROM shelter WHERE address LIKE 'CANARY-ADDRESS-%')
            + (SELECT count(*) FROM referral WHERE identity::text LIKE '%CANARY%')
            + (SELECT count(*) FROM offer WHERE decline_note LIKE 'CANARY%') AS n`,
    );
    expect(Number(planted.n)).toBeGreaterThan(30);
  });
});
