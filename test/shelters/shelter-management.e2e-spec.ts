import { errorCode, gql } from '../support/gql';
import { dbFingerprint, expectError, referralFixture, shelterInput } from '../support/operations';
import { createWorld, World } from '../support/world';

const SHELTER_FIELDS = `id name city regionId approximateLocation { latitude longitude } locationConfidential address intakePhone
  services intakeAlwaysOpen intakeDays intakeOpens intakeCloses timeZone acceptingIntakesNow holdMinutes responseMinutes
  status availabilityVerifiedAt stale eligibility { genders minAge maxAge acceptsChildren maxChildren languages curfew }
  pools { id bedType capacity occupied held outOfService available version }`;

describe('shelter staff manage their shelters, eligibility and beds', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  const staff = (query: string, variables: Record<string, unknown> = {}) =>
    gql(w.api.url, query, variables, w.tokens.staffA);

  it('creates a shelter with a coarsened public location and private contact details', async () => {
    const r = await staff(`mutation($i: CreateShelterInput!) { createShelter(input: $i) { ${SHELTER_FIELDS} } }`, {
      i: {
        name: 'Harbor House South',
        regionId: w.regions.countyA,
        city: 'Alderton',
        location: { latitude: 30.123456, longitude: -97.654321 },
        address: '400 Quiet Court',
        intakePhone: '+1 555 0142',
        services: ['CASE_MANAGEMENT', 'TRAUMA_THERAPY'],
        intakeAlwaysOpen: false,
        intakeDays: [1, 2, 3, 4, 5],
        intakeOpens: '08:00',
        intakeCloses: '20:00',
        holdMinutes: 90,
        responseMinutes: 20,
      },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.createShelter).toMatchObject({
      name: 'Harbor House South',
      approximateLocation: { latitude: 30.12, longitude: -97.65 },
      locationConfidential: true,
      address: '400 Quiet Court',
      intakePhone: '+1 555 0142',
      intakeOpens: '08:00',
      holdMinutes: 90,
      status: 'ACTIVE',
      stale: false,
      eligibility: { genders: ['WOMAN'], minAge: 18, languages: ['en'] },
      pools: [],
    });
    // the advocate sees the shelter but not its address
    const seen = await gql(
      w.api.url,
      `query($id: ID!) { shelter(id: $id) { address intakePhone } }`,
      { id: r.data.createShelter.id },
      w.tokens.advocate,
    );
    expect(seen.data.shelter).toEqual({ address: null, intakePhone: null });
  });

  it('pauses and reopens a shelter, and changes intake hours to 24/7', async () => {
    const paused = await staff(
      `mutation($id: ID!, $i: UpdateShelterInput!) { updateShelter(id: $id, input: $i) { status acceptingIntakesNow } }`,
      {
        id: w.shelters.a,
        i: { status: 'PAUSED' },
      },
    );
    expect(paused.data.updateShelter).toEqual({ status: 'PAUSED', acceptingIntakesNow: false });
    const open = await staff(
      `mutation($id: ID!, $i: UpdateShelterInput!) { updateShelter(id: $id, input: $i) { status intakeAlwaysOpen acceptingIntakesNow responseMinutes } }`,
      { id: w.shelters.a, i: { status: 'ACTIVE', intakeAlwaysOpen: true, responseMinutes: 15 } },
    );
    expect(open.data.updateShelter).toEqual({
      status: 'ACTIVE',
      intakeAlwaysOpen: true,
      acceptingIntakesNow: true,
      responseMinutes: 15,
    });
  });

  it('replaces the eligibility rules', async () => {
    const eligibility = {
      genders: ['MAN', 'TRANSGENDER_MAN'],
      minAge: 16,
      maxAge: 30,
      acceptsUnaccompaniedMinors: true,
      acceptsChildren: true,
      maxChildren: 2,
      childMinAge: 0,
      childMaxAge: 10,
      traffickingTypes: ['LABOUR'],
      languages: ['en', 'es', 'vi'],
      wheelchairAccessible: true,
      petsAllowed: false,
      substanceUsePolicy: 'TREATMENT_ON_SITE',
      lgbtqAffirming: true,
      requiresLawEnforcementCooperation: false,
      immigrationPolicy: 'OPEN_TO_ALL',
      acceptsTraffickingRelatedRecords: true,
      requiresIdDocuments: false,
      programming: 'VOLUNTARY',
      curfew: '22:30',
      maxStayDays: 180,
    };
    const r = await staff(
      `mutation($id: ID!, $e: EligibilityInput!) { setEligibility(shelterId: $id, eligibility: $e) { eligibility {
        genders minAge maxAge acceptsUnaccompaniedMinors acceptsChildren maxChildren childMinAge childMaxAge traffickingTypes
        languages wheelchairAccessible petsAllowed substanceUsePolicy lgbtqAffirming requiresLawEnforcementCooperation
        immigrationPolicy acceptsTraffickingRelatedRecords requiresIdDocuments programming curfew maxStayDays } } }`,
      { id: w.shelters.a, e: eligibility },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.setEligibility.eligibility).toEqual(eligibility);
  });

  it('creates and resizes bed pools; every change writes a capacity event with before and after', async () => {
    const upsert = `mutation($i: UpsertBedPoolInput!) { upsertBedPool(input: $i) { id bedType capacity available version } }`;
    const created = await staff(upsert, {
      i: { shelterId: w.shelters.aPublic, bedType: 'CRIB', capacity: 3, reason: 'new cribs' },
    });
    expect(created.data.upsertBedPool).toMatchObject({ bedType: 'CRIB', capacity: 3, available: 3, version: 1 });
    const resized = await staff(upsert, { i: { shelterId: w.shelters.aPublic, bedType: 'CRIB', capacity: 5 } });
    expect(resized.data.upsertBedPool).toMatchObject({ id: created.data.upsertBedPool.id, capacity: 5, version: 2 });
    const events = await w.fx.pg.query(
      `SELECT kind, reason, actor_user_id, capacity_before, capacity_after FROM capacity_event WHERE bed_pool_id = $1 ORDER BY id`,
      [created.data.upsertBedPool.id],
    );
    expect(events.rows).toEqual([
      {
        kind: 'POOL_CREATED',
        reason: 'new cribs',
        actor_user_id: w.users.staffA,
        capacity_before: null,
        capacity_after: 3,
      },
      { kind: 'CAPACITY_SET', reason: null, actor_user_id: w.users.staffA, capacity_before: 3, capacity_after: 5 },
    ]);
    // shrinking below what is in use is refused
    await staff(`mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id } }`, {
      i: { poolId: created.data.upsertBedPool.id, occupiedDelta: 4 },
    });
    const tooSmall = await staff(upsert, { i: { shelterId: w.shelters.aPublic, bedType: 'CRIB', capacity: 3 } });
    expect(errorCode(tooSmall)).toBe('CAPACITY_CONFLICT');
    expect(await w.fx.poolRow(created.data.upsertBedPool.id)).toMatchObject({ capacity: 5, occupied: 4 });
  });

  it('confirmAvailability marks the counts verified without changing them', async () => {
    await w.fx.pg.query(`UPDATE shelter SET availability_verified_at = now() - interval '3 days' WHERE id = $1`, [
      w.shelters.b,
    ]);
    const before = await w.fx.poolRow(w.pools.b);
    const stale = await gql(
      w.api.url,
      `query($id: ID!) { shelter(id: $id) { stale } }`,
      { id: w.shelters.b },
      w.tokens.staffB,
    );
    expect(stale.data.shelter.stale).toBe(true);
    const r = await gql(
      w.api.url,
      `mutation($id: ID!) { confirmAvailability(shelterId: $id) { shelterId availabilityVerifiedAt } }`,
      { id: w.shelters.b },
      w.tokens.staffB,
    );
    expect(Date.now() - new Date(r.data.confirmAvailability.availabilityVerifiedAt).getTime()).toBeLessThan(60_000);
    expect(await w.fx.poolRow(w.pools.b)).toEqual(before);
    expect(await w.fx.count('capacity_event', `bed_pool_id = $1 AND kind = 'CONFIRMED'`, [w.pools.b])).toBe(1);
    const fresh = await gql(
      w.api.url,
      `query($id: ID!) { shelter(id: $id) { stale } }`,
      { id: w.shelters.b },
      w.tokens.staffB,
    );
    expect(fresh.data.shelter.stale).toBe(false);
  });

  it('pages through shelters with a cursor, at most 100 a page', async () => {
    for (let i = 0; i < 7; i++) await w.fx.shelter(w.orgs.providerB, w.regions.countyB, { name: `Paged ${i}` });
    const page = `query($after: String) { shelters(first: 4, after: $after) { edges { cursor node { name } } pageInfo { endCursor hasNextPage } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let n = 0; n < 10; n++) {
      const r: any = await gql(w.api.url, page, { after }, w.tokens.advocate);
      names.push(...r.data.shelters.edges.map((e: any) => e.node.name));
      if (!r.data.shelters.pageInfo.hasNextPage) break;
      after = r.data.shelters.pageInfo.endCursor;
    }
    const all = await w.fx.pg.query(`SELECT name FROM shelter ORDER BY name, id`);
    expect(names).toEqual(all.rows.map((r) => r.name));
    expect(
      errorCode(await gql(w.api.url, `{ shelters(first: 101) { edges { cursor } } }`, {}, w.tokens.advocate)),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await gql(w.api.url, `{ shelters(first: 5, after: "garbage") { edges { cursor } } }`, {}, w.tokens.advocate),
      ),
    ).toBe('BAD_USER_INPUT');
    const mine = await gql(
      w.api.url,
      `{ shelters(first: 100, mine: true) { edges { node { name } } } }`,
      {},
      w.tokens.staffB,
    );
    expect(
      mine.data.shelters.edges.every((e: any) => e.node.name === 'Beacon Home' || e.node.name.startsWith('Paged')),
    ).toBe(true);
  });
});

/**
 * An acceptance must tell the agency how to reach intake. Staff keep default intake instructions on the shelter (seen
 * by their own staff only); a one-click accept gives the agency those, and one that would give nothing is refused.
 */
describe('default intake instructions', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  const ACCEPT = `mutation($id: ID!) { respondToOffer(offerId: $id, input: { accept: true }) {
    status intakeInstructions } }`;
  const READ = `query($id: ID!) { shelter(id: $id) { intakeInstructions } }`;
  const AGENCY = `query($id: ID!) { referral(id: $id) { state offers { status intakeInstructions } } }`;

  it('are set on create and update, and only the shelter’s own staff read them', async () => {
    const created = await gql(
      w.api.url,
      `mutation($i: CreateShelterInput!) { createShelter(input: $i) { id intakeInstructions } }`,
      { i: shelterInput(w, { intakeInstructions: '  Call +1 555 0142; we meet you at the library  ' }) },
      w.tokens.staffA,
    );
    expect(created.errors).toBeUndefined();
    const { id } = created.data.createShelter;
    expect(created.data.createShelter.intakeInstructions).toBe('Call +1 555 0142; we meet you at the library');
    for (const role of ['staffB', 'advocate', 'coordinator', 'admin'] as const) {
      expect((await gql(w.api.url, READ, { id }, w.tokens[role])).data.shelter).toEqual({ intakeInstructions: null });
    }
    const updated = await gql(
      w.api.url,
      `mutation($id: ID!) { updateShelter(id: $id, input: { intakeInstructions: "Ring the blue door" }) {
         intakeInstructions } }`,
      { id },
      w.tokens.staffA,
    );
    expect(updated.data.updateShelter).toEqual({ intakeInstructions: 'Ring the blue door' });
    expect(await w.fx.one(`SELECT intake_instructions FROM shelter WHERE id = $1`, [id])).toEqual({
      intake_instructions: 'Ring the blue door',
    });
  });

  it('a one-click accept with no default is refused, naming the field; once set, it gives the agency the default', async () => {
    const f = await referralFixture(w, 'OFFERED', { offerTo: 'A' });
    await w.fx.pg.query(`UPDATE shelter SET intake_instructions = NULL WHERE id = $1`, [f.shelterId]);
    const before = await dbFingerprint(w.fx);
    const refused = await gql(w.api.url, ACCEPT, { id: f.offerId }, w.tokens.staffA);
    expectError(refused, 'BAD_USER_INPUT', 'intakeInstructions');
    expect(await dbFingerprint(w.fx)).toEqual(before);

    const set = await gql(
      w.api.url,
      `mutation($id: ID!) { updateShelter(id: $id, input: { intakeInstructions: "Call the intake line on +1 555 0150" }) {
         id } }`,
      { id: f.shelterId },
      w.tokens.staffA,
    );
    expect(set.errors).toBeUndefined();
    const accepted = await gql(w.api.url, ACCEPT, { id: f.offerId }, w.tokens.staffA);
    expect(accepted.data.respondToOffer).toEqual({
      status: 'ACCEPTED',
      intakeInstructions: 'Call the intake line on +1 555 0150',
    });
    const agency = await gql(w.api.url, AGENCY, { id: f.id }, w.tokens.advocate);
    expect(agency.data.referral).toEqual({
      state: 'ACCEPTED',
      offers: [{ status: 'ACCEPTED', intakeInstructions: 'Call the intake line on +1 555 0150' }],
    });
  });

  it('instructions typed on acceptance win over the default', async () => {
    const f = await referralFixture(w, 'OFFERED', { offerTo: 'A' });
    const r = await gql(
      w.api.url,
      `mutation($id: ID!) { respondToOffer(offerId: $id, input: { accept: true, intakeInstructions: "Side gate, 9 pm" }) {
         intakeInstructions } }`,
      { id: f.offerId },
      w.tokens.staffA,
    );
    expect(r.data.respondToOffer).toEqual({ intakeInstructions: 'Side gate, 9 pm' });
  });
});
