import { Gender } from '@shelterlink/shelters';
import { createTestEnv, startApi, RunningApi, TestEnv } from '../support/app';
import { Fixtures, ShelterFixture } from '../support/fixtures';
import { gql, login } from '../support/gql';

/**
 * A hand-built network around a survivor at (30.00, −97.00), searching within 100 km, county B excluded.
 * The expected order and exclusion counts below were worked out by hand from the ranking rules:
 * bed fit, open intake, preferred region, direct language, 25 km distance band, fresh counts, services,
 * exact distance, verification time, id.
 */
const SEARCH = `query($needs: NeedsInput!, $first: Int!) {
  searchBeds(needs: $needs, first: $first) {
    matches { rank shelter { name } bedType available distanceKm stale acceptingIntakesNow languageViaInterpretation }
    examinedShelters excludedShelters exclusions { reason shelters }
  }
}`;

const EXPECTED_ORDER = [
  ['Near Single', 'SINGLE', 6, false, false],
  ['Mid Single (stale)', 'SINGLE', 11, true, false],
  ['Far Single', 'SINGLE', 44, false, false],
  ['Interpreted', 'SINGLE', 7, false, true],
  ['Near Overflow', 'EMERGENCY_OVERFLOW', 2, false, false],
];

const EXPECTED_EXCLUSIONS = [
  { reason: 'GENDER', shelters: 2 },
  { reason: 'PAUSED', shelters: 2 },
  { reason: 'AGE', shelters: 1 },
  { reason: 'INTAKE_CLOSED', shelters: 1 },
  { reason: 'LANGUAGE', shelters: 1 },
  { reason: 'NO_AVAILABLE_BED', shelters: 1 },
  { reason: 'NO_FITTING_BED', shelters: 1 },
  { reason: 'REGION_EXCLUDED', shelters: 1 },
];

async function buildNetwork(fx: Fixtures) {
  const state = await fx.region('ST', 'Stateland');
  const countyA = await fx.region('ST-A', 'Alder', state);
  const countyB = await fx.region('ST-B', 'Birch', state);
  const provider = await fx.organisation('Provider', 'SHELTER_PROVIDER');
  const agency = await fx.organisation('Agency', 'REFERRAL_AGENCY');
  await fx.user('advocate@example.org', 'HOTLINE_ADVOCATE', agency);
  const add = async (
    name: string,
    latitude: number,
    pools: [string, number, number?][],
    f: ShelterFixture = {},
    region = countyA,
  ) => {
    const id = await fx.shelter(provider, region, {
      name,
      latitude,
      longitude: -97.0,
      address: `${name} secret address`,
      ...f,
    });
    for (const [type, capacity, occupied = 0] of pools) await fx.pool(id, type, capacity, { occupied });
  };
  await add('Near Single', 30.05, [['SINGLE', 4, 2]]);
  await add('Mid Single (stale)', 30.1, [['SINGLE', 3, 2]], { verifiedMinutesAgo: 48 * 60 });
  await add('Far Single', 30.4, [['SINGLE', 3]]);
  await add('Near Overflow', 30.02, [
    ['SINGLE', 2, 2],
    ['EMERGENCY_OVERFLOW', 5, 1],
  ]);
  await add('Interpreted', 30.06, [['SINGLE', 2]], { elig: { languages: ['es'] }, services: ['INTERPRETATION'] });
  await add('Men Only', 30.03, [['SINGLE', 5]], { elig: { genders: [Gender.MAN] } });
  await add('Paused', 30.04, [['SINGLE', 5]], { status: 'PAUSED' });
  await add('Spanish Only', 30.07, [['SINGLE', 5]], { elig: { languages: ['es'] } });
  await add('Full', 30.08, [['SINGLE', 3, 3]]);
  await add('Across The Line', 30.09, [['SINGLE', 5]], {}, countyB);
  await add('Families Only', 30.11, [['FAMILY_UNIT', 4]]);
  await add('Young Adults', 30.12, [['SINGLE', 4]], { elig: { minAge: 18, maxAge: 24 } });
  await add('Closed Desk', 30.13, [['SINGLE', 4]], {
    intakeAlwaysOpen: false,
    intakeDays: [],
    intakeOpens: '09:00',
    intakeCloses: '10:00',
  });
  await add('Beyond Radius', 31.5, [['SINGLE', 9]]);
  await add('Men Only, Paused', 30.14, [['SINGLE', 4]], { elig: { genders: [Gender.MAN] }, status: 'PAUSED' });
  return { countyB };
}

function needs(countyB: string) {
  return {
    age: 30,
    gender: 'WOMAN',
    languages: ['en'],
    traffickingTypes: ['SEX'],
    urgency: 'TONIGHT',
    location: { latitude: 30.0, longitude: -97.0 },
    radiusKm: 100,
    excludedRegionIds: [countyB],
  };
}

/**
 * With a candidate limit of 10, the ten nearest are examined and counted (Near Overflow … Families Only), and the
 * fifth match (Far Single) is found further out, uncounted.
 */
const NEAREST_TEN_EXCLUSIONS = [
  'GENDER',
  'LANGUAGE',
  'NO_AVAILABLE_BED',
  'NO_FITTING_BED',
  'PAUSED',
  'REGION_EXCLUDED',
].map((reason) => ({ reason, shelters: 1 }));

describe.each([
  ['every shelter in one pass', '400', { examined: 14, excluded: 9, exclusions: EXPECTED_EXCLUSIONS, everywhere: 15 }],
  [
    'a candidate limit of 10, matches further out',
    '10',
    { examined: 10, excluded: 6, exclusions: NEAREST_TEN_EXCLUSIONS, everywhere: 10 },
  ],
])('searchBeds on a hand-built network (%s)', (_label, limit, counted) => {
  let env: TestEnv;
  let api: RunningApi;
  let fx: Fixtures;
  let token: string;
  let countyB: string;

  beforeAll(async () => {
    env = await createTestEnv({ SEARCH_CANDIDATE_LIMIT: limit });
    fx = new Fixtures(env.db.url);
    ({ countyB } = await buildNetwork(fx));
    api = await startApi(env);
    token = await login(api.url, 'advocate@example.org', 'correct horse battery staple');
  });
  afterAll(async () => {
    await api.close();
    await fx.close();
    await env.cleanup();
  });

  it('ranks the matches in the order worked out by hand', async () => {
    const r = await gql(api.url, SEARCH, { needs: needs(countyB), first: 10 }, token);
    expect(r.errors).toBeUndefined();
    const got = r.data.searchBeds.matches.map((m: any) => [
      m.shelter.name,
      m.bedType,
      m.distanceKm,
      m.stale,
      m.languageViaInterpretation,
    ]);
    expect(got).toEqual(EXPECTED_ORDER);
    expect(r.data.searchBeds.matches.map((m: any) => m.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts the excluded shelters by reason', async () => {
    const r = await gql(api.url, SEARCH, { needs: needs(countyB), first: 10 }, token);
    expect(r.data.searchBeds.examinedShelters).toBe(counted.examined);
    expect(r.data.searchBeds.excludedShelters).toBe(counted.excluded);
    expect(r.data.searchBeds.exclusions).toEqual(counted.exclusions);
  });

  it('never returns a confidential address', async () => {
    const r = await gql(api.url, SEARCH, { needs: needs(countyB), first: 100 }, token);
    expect(JSON.stringify(r)).not.toMatch(/secret address/);
  });

  it('honours `first` and is deterministic', async () => {
    const a = await gql(api.url, SEARCH, { needs: needs(countyB), first: 2 }, token);
    const b = await gql(api.url, SEARCH, { needs: needs(countyB), first: 2 }, token);
    expect(a.data.searchBeds.matches.map((m: any) => m.shelter.name)).toEqual(['Near Single', 'Mid Single (stale)']);
    expect(b).toEqual(a);
  });

  it('without a location, searches the whole network (no distances)', async () => {
    const { location: _l, radiusKm: _r, ...noLocation } = needs(countyB);
    const r = await gql(api.url, SEARCH, { needs: noLocation, first: 10 }, token);
    expect(r.data.searchBeds.examinedShelters).toBe(counted.everywhere);
    expect(r.data.searchBeds.matches.map((m: any) => m.distanceKm)).toEqual([null, null, null, null, null, null]);
    expect(r.data.searchBeds.matches.map((m: any) => m.shelter.name)).toContain('Beyond Radius');
  });
});

/**
 * A planned move is not a bed tonight: intake open this minute weighs only for TONIGHT. Later urgencies rank by
 * whether intake opens within their window (72 hours; a week for PLANNED). The case met in use: a shelter 3 km away
 * with fresh counts whose intake opens in 2 h 15 min, and one 125 km away with stale counts, open now.
 */
describe('searchBeds: intake timing by urgency', () => {
  let env: TestEnv;
  let api: RunningApi;
  let fx: Fixtures;
  let token: string;
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);

  beforeAll(async () => {
    env = await createTestEnv();
    fx = new Fixtures(env.db.url);
    const region = await fx.region('ST', 'Stateland');
    const provider = await fx.organisation('Provider', 'SHELTER_PROVIDER');
    const agency = await fx.organisation('Agency', 'REFERRAL_AGENCY');
    await fx.user('advocate@example.org', 'HOTLINE_ADVOCATE', agency);
    const opens = new Date(Date.now() + 135 * 60_000);
    const near = await fx.shelter(provider, region, {
      name: 'Near, opens soon',
      latitude: 30.03,
      longitude: -97.0,
      intakeAlwaysOpen: false,
      intakeDays: [1, 2, 3, 4, 5, 6, 7],
      intakeOpens: hhmm(opens),
      intakeCloses: hhmm(new Date(opens.getTime() + 8 * 3_600_000)),
      timeZone: 'UTC',
    });
    await fx.pool(near, 'SINGLE', 4);
    const far = await fx.shelter(provider, region, {
      name: 'Far, open now, stale',
      latitude: 31.12,
      longitude: -97.0,
      verifiedMinutesAgo: 48 * 60,
    });
    await fx.pool(far, 'SINGLE', 4);
    api = await startApi(env);
    token = await login(api.url, 'advocate@example.org', 'correct horse battery staple');
  });
  afterAll(async () => {
    await api.close();
    await fx.close();
    await env.cleanup();
  });

  const TIMING = `query($needs: NeedsInput!) {
    searchBeds(needs: $needs, first: 5) {
      matches { shelter { name } distanceKm stale acceptingIntakesNow intakeOpensInMinutes }
      exclusions { reason shelters }
    }
  }`;
  const search = async (urgency: string) => {
    const needs = {
      age: 30,
      gender: 'WOMAN',
      traffickingTypes: ['SEX'],
      urgency,
      location: { latitude: 30.0, longitude: -97.0 },
      radiusKm: 200,
    };
    const r = await gql(api.url, TIMING, { needs }, token);
    expect(r.errors).toBeUndefined();
    return r.data.searchBeds;
  };

  it.each(['PLANNED', 'WITHIN_72_HOURS'])('%s: the near shelter opening soon ranks first', async (urgency) => {
    const { matches } = await search(urgency);
    expect(matches.map((m: { shelter: { name: string } }) => m.shelter.name)).toEqual([
      'Near, opens soon',
      'Far, open now, stale',
    ]);
    expect(matches[0]).toMatchObject({ distanceKm: 3, stale: false, acceptingIntakesNow: false });
    expect(matches[0].intakeOpensInMinutes).toBeGreaterThanOrEqual(133);
    expect(matches[0].intakeOpensInMinutes).toBeLessThanOrEqual(135);
    expect(matches[1]).toMatchObject({ stale: true, acceptingIntakesNow: true, intakeOpensInMinutes: 0 });
  });

  it('TONIGHT: only a shelter taking intakes now; the other is excluded as closed', async () => {
    const { matches, exclusions } = await search('TONIGHT');
    expect(matches.map((m: { shelter: { name: string } }) => m.shelter.name)).toEqual(['Far, open now, stale']);
    expect(exclusions).toEqual([{ reason: 'INTAKE_CLOSED', shelters: 1 }]);
  });
});
