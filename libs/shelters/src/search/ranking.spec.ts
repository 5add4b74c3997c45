import { ShelterService, Urgency } from '../vocabulary';
import { compareRankKeys, rankKey } from './ranking';
import { candidate, needs } from './test-candidates';

const NOW = new Date('2026-11-28T12:00:00Z');

function order(
  n: ReturnType<typeof needs>,
  shelters: { c: ReturnType<typeof candidate>; tier?: number; stale?: boolean }[],
) {
  return shelters
    .map(({ c, tier = 0, stale = false }) => rankKey(n, c, tier, stale, NOW))
    .sort(compareRankKeys)
    .map((k) => k.shelterId);
}

describe('ranking', () => {
  it('a better bed fit beats distance', () => {
    expect(
      order(needs(), [
        { c: candidate({ id: 'near-overflow', distanceMeters: 1_000 }), tier: 2 },
        { c: candidate({ id: 'far-single', distanceMeters: 90_000 }), tier: 0 },
      ]),
    ).toEqual(['far-single', 'near-overflow']);
  });

  it('within a distance band, fresh counts beat stale ones; across bands, nearer wins', () => {
    expect(
      order(needs(), [
        { c: candidate({ id: 'near-stale', distanceMeters: 3_000 }), stale: true },
        { c: candidate({ id: 'band-fresh', distanceMeters: 20_000 }) },
        { c: candidate({ id: 'far-fresh', distanceMeters: 40_000 }) },
      ]),
    ).toEqual(['band-fresh', 'near-stale', 'far-fresh']);
  });

  it('open intake, preferred region and a shared language come before distance', () => {
    const n = needs({ preferredRegionIds: ['county-b'], languages: ['es'] });
    const es = { languages: ['es'] };
    expect(
      order(n, [
        {
          c: candidate({
            id: 'closed',
            acceptingIntakesNow: false,
            minutesUntilIntake: 135,
            regionPath: ['state', 'county-b'],
            eligibility: { ...candidate().eligibility, ...es },
          }),
        },
        {
          c: candidate({ id: 'other-region', distanceMeters: 100, eligibility: { ...candidate().eligibility, ...es } }),
        },
        {
          c: candidate({
            id: 'interpreted',
            regionPath: ['state', 'county-b'],
            services: [ShelterService.INTERPRETATION],
          }),
        },
        {
          c: candidate({
            id: 'best',
            distanceMeters: 80_000,
            regionPath: ['state', 'county-b'],
            eligibility: { ...candidate().eligibility, ...es },
          }),
        },
      ]),
    ).toEqual(['best', 'interpreted', 'other-region', 'closed']);
  });

  it('intake open now weighs only for TONIGHT; later urgencies ask that intake open within their window', () => {
    // 06:45: a shelter 3 km away with fresh counts opens at 09:00; one 125 km away with stale counts is open now
    const near = {
      c: candidate({
        id: 'near-opens-at-9',
        distanceMeters: 3_000,
        acceptingIntakesNow: false,
        minutesUntilIntake: 135,
      }),
    };
    const far = { c: candidate({ id: 'far-open-now', distanceMeters: 125_000, minutesUntilIntake: 0 }), stale: true };
    expect(order(needs({ urgency: Urgency.TONIGHT }), [near, far])).toEqual(['far-open-now', 'near-opens-at-9']);
    expect(order(needs({ urgency: Urgency.PLANNED }), [near, far])).toEqual(['near-opens-at-9', 'far-open-now']);
    expect(order(needs({ urgency: Urgency.WITHIN_72_HOURS }), [near, far])).toEqual([
      'near-opens-at-9',
      'far-open-now',
    ]);
    // opening in 80 hours is too late for 72 hours (like never opening: distance decides between the two) but in
    // time for a planned move; never opening is never in time
    const later = { c: candidate({ id: 'opens-in-80h', distanceMeters: 1_000, minutesUntilIntake: 80 * 60 }) };
    const never = { c: candidate({ id: 'never-opens', distanceMeters: 500, minutesUntilIntake: null }) };
    expect(order(needs({ urgency: Urgency.WITHIN_72_HOURS }), [later, never, far])).toEqual([
      'far-open-now',
      'never-opens',
      'opens-in-80h',
    ]);
    expect(order(needs({ urgency: Urgency.PLANNED }), [later, never, far])).toEqual([
      'opens-in-80h',
      'far-open-now',
      'never-opens',
    ]);
  });

  it('more of the needed services first, then exact distance, then freshest, then id', () => {
    const n = needs({ servicesNeeded: [ShelterService.LEGAL_AID, ShelterService.TRAUMA_THERAPY] });
    expect(
      order(n, [
        { c: candidate({ id: 'z-none', distanceMeters: 1_000 }) },
        { c: candidate({ id: 'y-one', distanceMeters: 2_000, services: [ShelterService.LEGAL_AID] }) },
        {
          c: candidate({
            id: 'b-tie',
            distanceMeters: 2_000,
            services: [ShelterService.LEGAL_AID, ShelterService.TRAUMA_THERAPY],
          }),
        },
        {
          c: candidate({
            id: 'a-tie',
            distanceMeters: 2_000,
            services: [ShelterService.LEGAL_AID, ShelterService.TRAUMA_THERAPY],
          }),
        },
        {
          c: candidate({
            id: 'c-older',
            distanceMeters: 2_000,
            services: [ShelterService.LEGAL_AID, ShelterService.TRAUMA_THERAPY],
            availabilityVerifiedAt: new Date('2026-11-28T01:00:00Z'),
          }),
        },
      ]),
    ).toEqual(['a-tie', 'b-tie', 'c-older', 'y-one', 'z-none']);
  });

  it('is deterministic whatever the input order', () => {
    const shelters = Array.from({ length: 30 }, (_, i) => ({
      c: candidate({ id: `s${i}`, distanceMeters: (i * 7919) % 60_000 }),
      stale: i % 3 === 0,
    }));
    const expected = order(needs(), shelters);
    expect(order(needs(), [...shelters].reverse())).toEqual(expected);
  });
});
