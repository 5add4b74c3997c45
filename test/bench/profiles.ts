import { BOX, GRID } from './seed';

/** A needs profile with every field explicit: sent as the GraphQL `NeedsInput` and given to `searchStatement`. */
export interface BenchNeeds {
  age: number;
  gender: string;
  childrenAges: number[];
  languages: string[];
  wheelchairUser: boolean;
  hasPets: boolean;
  substanceUse: string;
  traffickingTypes: string[];
  lgbtqAffirmingRequired: boolean;
  willingToInvolveLawEnforcement: boolean;
  immigrationStatus: string;
  hasTraffickingRelatedRecord: boolean;
  hasIdDocuments: boolean;
  requiresVoluntaryProgramming: boolean;
  cannotKeepCurfew: boolean;
  minimumStayDays: number | null;
  servicesNeeded: string[];
  urgency: string;
  location: { latitude: number; longitude: number };
  radiusKm: number;
  excludedRegionIds: string[];
  preferredRegionIds: string[];
}

/** mulberry32: a small seeded generator, so every run searches the same profiles. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, weighted: [number, T][]): T {
  const total = weighted.reduce((sum, [w]) => sum + w, 0);
  let r = random() * total;
  for (const [w, value] of weighted) {
    if ((r -= w) < 0) return value;
  }
  return weighted[weighted.length - 1][1];
}

const SERVICES = [
  'CASE_MANAGEMENT',
  'TRAUMA_THERAPY',
  'MENTAL_HEALTH',
  'LEGAL_AID',
  'IMMIGRATION_LEGAL',
  'MEDICAL',
  'SUBSTANCE_USE_TREATMENT',
  'CHILDCARE',
  'INTERPRETATION',
  'JOB_TRAINING',
  'EDUCATION',
];

/** Realistic hotline calls: mostly adult women, some men, families, wheelchair users, minors and picky needs. */
export function needsProfiles(count: number, countyIds: string[], seed = 20251128): BenchNeeds[] {
  const random = generator(seed);
  const chance = (p: number) => random() < p;
  return Array.from({ length: count }, () => {
    const latitude = BOX.minLat + random() * (BOX.maxLat - BOX.minLat);
    const longitude = BOX.minLng + random() * (BOX.maxLng - BOX.minLng);
    const county =
      countyIds[
        Math.min(Math.floor(latitude - BOX.minLat), GRID.rows - 1) * GRID.columns +
          Math.min(Math.floor(longitude - BOX.minLng), GRID.columns - 1)
      ];
    const withChildren = chance(0.2);
    const age = chance(0.05) ? 16 : 18 + Math.floor(random() * 40);
    return {
      age,
      gender: pick(random, [
        [55, 'WOMAN'],
        [20, 'MAN'],
        [10, 'TRANSGENDER_WOMAN'],
        [8, 'NON_BINARY'],
        [7, 'TRANSGENDER_MAN'],
      ]),
      childrenAges: withChildren
        ? Array.from({ length: 1 + Math.floor(random() * 2) }, () => Math.floor(random() * 12))
        : [],
      languages: pick(random, [
        [60, ['en']],
        [20, ['es']],
        [10, ['es', 'en']],
        [5, ['vi']],
        [5, []],
      ]),
      wheelchairUser: chance(0.07),
      hasPets: chance(0.08),
      substanceUse: pick(random, [
        [70, 'NONE'],
        [15, 'IN_RECOVERY'],
        [15, 'ACTIVE_USE'],
      ]),
      traffickingTypes: pick(random, [
        [60, ['SEX']],
        [30, ['LABOUR']],
        [10, ['SEX', 'LABOUR']],
      ]),
      lgbtqAffirmingRequired: chance(0.15),
      willingToInvolveLawEnforcement: chance(0.5),
      immigrationStatus: pick(random, [
        [50, 'CITIZEN'],
        [15, 'LAWFUL_RESIDENT'],
        [20, 'FOREIGN_NATIONAL'],
        [15, 'UNKNOWN'],
      ]),
      hasTraffickingRelatedRecord: chance(0.15),
      hasIdDocuments: chance(0.75),
      requiresVoluntaryProgramming: chance(0.2),
      cannotKeepCurfew: chance(0.1),
      minimumStayDays: pick(random, [
        [70, null],
        [20, 60],
        [10, 120],
      ]),
      servicesNeeded: SERVICES.filter(() => chance(0.12)),
      urgency: pick(random, [
        [40, 'TONIGHT'],
        [40, 'WITHIN_72_HOURS'],
        [20, 'PLANNED'],
      ]),
      location: { latitude: Math.round(latitude * 1e4) / 1e4, longitude: Math.round(longitude * 1e4) / 1e4 },
      radiusKm: 150,
      excludedRegionIds: chance(0.1) ? [countyIds[Math.floor(random() * countyIds.length)]] : [],
      preferredRegionIds: chance(0.2) ? [county] : [],
    };
  });
}
