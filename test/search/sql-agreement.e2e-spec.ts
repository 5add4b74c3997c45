import { DataSource } from 'typeorm';
import { seededRandom } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { dataSourceOptions } from '@shelterlink/database';
import {
  acceptingIntakesSql,
  localClockSql,
  acceptsIntakeAt,
  minutesUntilIntake,
  minutesUntilIntakeSql,
  BedSearchResult,
  BedSearchService,
  BedType,
  coarsen,
  compareRankKeys,
  Eligibility,
  eligibilityRow,
  evaluate,
  ExclusionReason,
  fittingBedTypes,
  Gender,
  ImmigrationPolicy,
  ImmigrationStatus,
  IntakeHours,
  localClock,
  NeedsProfile,
  Programming,
  RankKey,
  rankKey,
  RULES,
  SearchCandidate,
  searchStatement,
  ShelterService,
  ShelterStatus,
  SubstanceUse,
  SubstanceUsePolicy,
  TraffickingType,
  Urgency,
  widerStatement,
  SqlParams,
} from '@shelterlink/shelters';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * Property test: the search SQL (`searchStatement`, `widerStatement`: `Rule.sql`, `acceptingIntakesSql`,
 * `rankOrderSql`, the bed-fit aggregate) and the TypeScript engine (`evaluate`, `acceptsIntakeAt`, `rankKey` +
 * `compareRankKeys`: the reference) give the same answers over one random network and many random needs, on real
 * Postgres (PostGIS). The reference's examined window is the nearest `limit` (within the radius, minus the skipped
 * shelters), ties in distance broken by id as every other tie in search is; without a location, the most recently
 * verified `limit`, then id.
 *
 * Per profile:
 * (1) the raw `searchStatement` (limit 40, and 400 when the search widens) returns the reference's best `first`
 *     shelters in order, each with exactly its stored fitting pools (among them the reference's chosen one) and
 *     distance, and the same `examined`, `excluded` and count per reason (reasons it does not return: 0);
 * (2) `BedSearchService.search` equals the reference: the nearest `limit` examined and counted; when they hold fewer
 *     than `first` matches, the next shelters in window order (up to `limit` × 10) until `first` more match,
 *     uncounted; all found ranked together, the best `first` returned with their chosen pools; the raw
 *     `widerStatement` returns exactly those further matches;
 * (3) per examined shelter, every rule's SQL verdict (and `open_now`) equals the TypeScript one, so two compensating
 *     errors cannot hide behind equal counts.
 * Mismatches are collected, not thrown, so one run shows them all. Reproduce a run with SQL_AGREEMENT_SEED=<seed>.
 */
const SEED = Number(process.env.SQL_AGREEMENT_SEED ?? 20251128);
const SHELTERS = 234;
const TWINS = 16;
const PROFILES = 300;
const LIMIT = 40;
const STALE_AFTER_MINUTES = 600;
const CONCURRENCY = 4;
/** A fixed instant (so runs reproduce) whose week holds the US daylight-saving change of 9 March 2025. */
const T0 = Date.parse('2025-03-08T12:00:00.000Z');
/**
 * The reference measures distance with ST_Distance(…, false); the statement may use the KNN operator `<->`, also a
 * sphere distance but computed by another PostGIS routine that differs in the last bits (≤ 1e-8 m measured).
 * Orders and radius membership are compared exactly; a reported distance may differ by this much.
 */
const DISTANCE_TOLERANCE_M = 1e-6;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const TIME_ZONES = [
  'America/Chicago',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Pacific/Auckland',
  'Europe/London',
];
const LANGUAGES = ['en', 'es', 'fr', 'vi', 'ar', 'zh'];
/** About 300 km on each side. */
const BOX = { minLat: 30.0, maxLat: 32.7, minLng: -98.6, maxLng: -95.4 };
const GRID = { columns: 3, rows: 2 };

// ── seeded randomness ─────────────────────────────────────────────────────────────────────────────────────────
class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Each item with probability p, in random order. */
  subset<T>(items: readonly T[], p = 0.5): T[] {
    return this.shuffle(items.filter(() => this.chance(p)));
  }

  nonEmptySubset<T>(items: readonly T[], p = 0.5): T[] {
    const chosen = this.subset(items, p);
    return chosen.length > 0 ? chosen : [this.pick(items)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** A version-4 shaped UUID from this generator, so even id tie-breaks reproduce. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = ((this.int(0, 15) & 0x3) | 0x8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

// ── the network ───────────────────────────────────────────────────────────────────────────────────────────────
interface RegionRow {
  id: string;
  code: string;
  name: string;
  parent_id: string | null;
  path: string[];
}

/** A shelter row exactly as inserted (column names), plus what the generator knows about it. */
interface ShelterRow {
  id: string;
  organisation_id: string;
  region_id: string;
  name: string;
  city: string;
  public_location: string;
  services: string[];
  intake_always_open: boolean;
  intake_days: number[];
  intake_opens: string | null;
  intake_closes: string | null;
  time_zone: string;
  status: string;
  availability_verified_at: string;
  [elig: `elig_${string}`]: unknown;
}

interface GeneratedShelter {
  row: ShelterRow;
  latitude: number;
  longitude: number;
  verifiedMs: number;
}

interface PoolRow {
  id: string;
  shelter_id: string;
  bed_type: BedType;
  capacity: number;
  occupied: number;
  held: number;
  out_of_service: number;
}

interface Network {
  regions: RegionRow[];
  /** County and sub-county ids: what needs may prefer or exclude. */
  placeIds: string[];
  shelters: GeneratedShelter[];
  pools: PoolRow[];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function minuteOf(random: Random): number {
  return random.chance(0.6) ? random.pick([0, 7, 15, 29, 30, 45, 59]) : random.int(0, 59);
}

function clock(random: Random, fromHour: number, toHour: number): string {
  return `${pad(random.int(fromHour, toHour))}:${pad(minuteOf(random))}`;
}

function intakeHours(
  random: Random,
): Pick<ShelterRow, 'intake_always_open' | 'intake_days' | 'intake_opens' | 'intake_closes'> {
  const days = random.subset([1, 2, 3, 4, 5, 6, 7], random.pick([0.3, 0.7, 0.9]));
  if (random.chance(0.45)) {
    // always open wins over any window it also has
    const window = random.chance(0.4);
    return {
      intake_always_open: true,
      intake_days: days,
      intake_opens: window ? clock(random, 8, 11) : null,
      intake_closes: window ? clock(random, 12, 14) : null,
    };
  }
  let opens: string;
  let closes: string;
  switch (random.pick(['day', 'day', 'day', 'overnight', 'overnight', 'equal', 'midnight'])) {
    case 'day':
      opens = clock(random, 5, 11);
      closes = clock(random, 12, 22);
      break;
    case 'overnight': // closes before it opens: runs past midnight
      opens = clock(random, 16, 23);
      closes = clock(random, 0, 10);
      break;
    case 'equal': // opens = closes: the overnight rule, open round the clock from the first listed day
      opens = clock(random, 0, 23);
      closes = opens;
      break;
    default:
      [opens, closes] = random.chance(0.5) ? ['00:00', clock(random, 1, 23)] : [clock(random, 1, 23), '00:00'];
  }
  return { intake_always_open: false, intake_days: days, intake_opens: opens, intake_closes: closes };
}

/** Random eligibility, as the shelter table's columns (ELIGIBILITY_COLUMNS). */
function eligibility(random: Random): Record<`elig_${string}`, unknown> {
  let minAge = random.pick([0, 0, 12, 16, 17, 18, 18, 18, 18, 21, 25, random.int(0, 120)]);
  let maxAge = random.pick([17, 24, 25, 60, 65, 120, 120, 120, 120, 120, 120, random.int(0, 120)]);
  if (minAge > maxAge) [minAge, maxAge] = [maxAge, minAge];
  let childMin = random.pick([0, 0, 0, 2, 5, random.int(0, 17)]);
  let childMax = random.pick([17, 17, 12, 5, random.int(0, 17)]);
  if (childMin > childMax) [childMin, childMax] = [childMax, childMin];
  const languages = random.chance(0.8) ? ['en', ...random.subset(LANGUAGES.slice(1), 0.2)] : [];
  return eligibilityRow({
    genders: random.chance(0.4) ? Object.values(Gender) : random.nonEmptySubset(Object.values(Gender), 0.6),
    minAge,
    maxAge,
    acceptsUnaccompaniedMinors: random.chance(0.35),
    acceptsChildren: random.chance(0.55),
    maxChildren: random.pick([0, 1, 2, 3, 4, 6, random.int(0, 20)]),
    childMinAge: childMin,
    childMaxAge: childMax,
    traffickingTypes: random.nonEmptySubset(Object.values(TraffickingType), 0.85),
    languages: languages.length > 0 ? languages : random.nonEmptySubset(LANGUAGES, 0.3),
    wheelchairAccessible: random.chance(0.45),
    petsAllowed: random.chance(0.35),
    substanceUsePolicy: random.pick(Object.values(SubstanceUsePolicy)),
    lgbtqAffirming: random.chance(0.6),
    requiresLawEnforcementCooperation: random.chance(0.2),
    immigrationPolicy: random.pick([
      ImmigrationPolicy.OPEN_TO_ALL,
      ImmigrationPolicy.OPEN_TO_ALL,
      ...Object.values(ImmigrationPolicy),
    ]),
    acceptsTraffickingRelatedRecords: random.chance(0.75),
    requiresIdDocuments: random.chance(0.2),
    programming: random.pick(Object.values(Programming)),
    curfew: random.chance(0.5) ? null : clock(random, 19, 23),
    maxStayDays: random.chance(0.45) ? null : random.pick([1, 7, 14, 30, 90, 180, 365, random.int(1, 3650)]),
  } satisfies Eligibility);
}

/** Microsecond timestamptz text for an instant in ms plus `micro` microseconds. */
const withMicros = (ms: number, micro: number) => new Date(ms).toISOString().replace('Z', `${pad(micro, 3)}Z`);

function generateNetwork(random: Random, organisationId: string): Network {
  const regions: RegionRow[] = [];
  const region = (code: string, parent: RegionRow | null): RegionRow => {
    const id = random.uuid();
    const row = {
      id,
      code,
      name: `Region ${code}`,
      parent_id: parent?.id ?? null,
      path: [...(parent?.path ?? []), id],
    };
    regions.push(row);
    return row;
  };
  const state = region('AG', null);
  const counties = Array.from({ length: GRID.columns * GRID.rows }, (_, i) => region(`AG-C${i + 1}`, state));
  // a few sub-county regions under some counties (the first, third and fifth have two each)
  const subs = new Map<string, RegionRow[]>(
    counties.map((c, i) => [c.id, i % 2 === 0 ? [region(`${c.code}-S1`, c), region(`${c.code}-S2`, c)] : []]),
  );

  const shelters: GeneratedShelter[] = [];
  const pools: PoolRow[] = [];
  const snap = (v: number) => Number((Math.round(v * 100) / 100).toFixed(2)); // stored coarsened, as the service does
  for (let i = 0; i < SHELTERS; i++) {
    let latitude = snap(BOX.minLat + random.next() * (BOX.maxLat - BOX.minLat));
    let longitude = snap(BOX.minLng + random.next() * (BOX.maxLng - BOX.minLng));
    let verifiedMs = T0 - 4 * DAY + Math.floor(random.next() * 7.5 * DAY);
    // some verified on a whole millisecond: the stale threshold can fall exactly on them
    let micro = random.chance(0.3) ? 0 : random.int(0, 999);
    const earlier = i > 10 ? shelters[random.int(0, i - 1)] : undefined;
    if (earlier && random.chance(0.05)) {
      // the same public point as an earlier shelter: equal distances, so later rank terms decide
      ({ latitude, longitude } = earlier);
    }
    if (earlier && random.chance(0.08)) {
      // verified in the same millisecond as an earlier shelter (sometimes the same microsecond too)
      verifiedMs = earlier.verifiedMs;
      micro = random.chance(0.5) ? Number(earlier.row.availability_verified_at.slice(23, 26)) : random.int(0, 999);
    }
    const column = Math.min(
      Math.floor(((longitude - BOX.minLng) / (BOX.maxLng - BOX.minLng)) * GRID.columns),
      GRID.columns - 1,
    );
    const row = Math.min(Math.floor(((latitude - BOX.minLat) / (BOX.maxLat - BOX.minLat)) * GRID.rows), GRID.rows - 1);
    const county = counties[Math.max(0, row) * GRID.columns + Math.max(0, column)];
    const countySubs = subs.get(county.id) ?? [];
    const home = countySubs.length > 0 && random.chance(0.6) ? random.pick(countySubs) : county;
    const services = random.subset(Object.values(ShelterService), 0.3);
    const id = random.uuid();
    shelters.push({
      latitude,
      longitude,
      verifiedMs,
      row: {
        id,
        organisation_id: organisationId,
        region_id: home.id,
        name: `Agreement Shelter ${i}`,
        city: `City ${i % 17}`,
        public_location: `SRID=4326;POINT(${longitude} ${latitude})`,
        services,
        ...intakeHours(random),
        time_zone: random.pick(TIME_ZONES),
        status: random.chance(0.15) ? ShelterStatus.PAUSED : ShelterStatus.ACTIVE,
        availability_verified_at: withMicros(verifiedMs, micro),
        ...eligibility(random),
      },
    });
    const types = random.shuffle(Object.values(BedType)).slice(0, random.pick([0, 1, 1, 2, 2, 3, 3, 4]));
    for (const bedType of types) {
      const capacity = random.pick([0, 1, 2, 3, 4, 6, 8]);
      let occupied = random.int(0, capacity);
      let held = random.int(0, Math.min(1, capacity - occupied));
      let outOfService = random.int(0, Math.min(1, capacity - occupied - held));
      if (random.chance(0.2)) {
        // full: no free bed
        held = random.int(0, capacity);
        outOfService = random.int(0, capacity - held);
        occupied = capacity - held - outOfService;
      }
      pools.push({
        id: random.uuid(),
        shelter_id: id,
        bed_type: bedType,
        capacity,
        occupied,
        held,
        out_of_service: outOfService,
      });
    }
  }
  // twins: a copy of a shelter (new ids) at the same point, verified in the same millisecond (some in the same
  // microsecond); when both match, every rank term ties but the id (ranking compares milliseconds)
  for (let i = 0; i < TWINS; i++) {
    const original = shelters[random.int(0, SHELTERS - 1)];
    const id = random.uuid();
    const micro = random.chance(0.3) ? Number(original.row.availability_verified_at.slice(23, 26)) : random.int(0, 999);
    shelters.push({
      ...original,
      row: {
        ...original.row,
        id,
        name: `${original.row.name} twin`,
        availability_verified_at: withMicros(original.verifiedMs, micro),
      },
    });
    for (const pool of pools.filter((p) => p.shelter_id === original.row.id)) {
      pools.push({ ...pool, id: random.uuid(), shelter_id: id });
    }
  }
  const placeIds = [...counties.map((c) => c.id), ...[...subs.values()].flat().map((s) => s.id)];
  return { regions, placeIds, shelters, pools };
}

// ── needs ─────────────────────────────────────────────────────────────────────────────────────────────────────
interface Case {
  index: number;
  needs: NeedsProfile;
  now: Date;
  first: number;
  skip: string[];
  radiusAt?: { shelterId: string; measure: 'knn' | 'sphere' };
}

/** Rough kilometres between two points; only to pick skip lists near the survivor. */
function roughKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const dy = (a.latitude - b.latitude) * 111;
  const dx = (a.longitude - b.longitude) * 111 * Math.cos((a.latitude * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

/** `near`: shelters likely to be examined, whose stale threshold or intake window `now` may hit exactly. */
function randomNow(
  random: Random,
  near: GeneratedShelter[],
  hours: Map<string, IntakeHours>,
  matches: (id: string, now: Date) => boolean,
  thresholdChance: number,
): Date {
  let at = T0 - 3 * DAY + Math.floor(random.next() * 7 * DAY);
  if (random.chance(0.5)) at = Math.floor(at / MINUTE) * MINUTE;
  const shelter = random.pick(near);
  if (random.chance(thresholdChance)) {
    // exactly at (or 1 ms past) the stale threshold of one shelter: best one that matches then, verified on a whole
    // millisecond (the threshold falls exactly on it; else within its millisecond)
    const threshold = (s: GeneratedShelter) => new Date(s.verifiedMs + STALE_AFTER_MINUTES * MINUTE);
    const matching = near.filter((s) => matches(s.row.id, threshold(s)));
    const exact = matching.filter((s) => s.row.availability_verified_at.endsWith('000Z'));
    const target = random.chance(0.85) ? random.pick([exact, matching, near].find((l) => l.length > 0)!) : shelter;
    return new Date(threshold(target).getTime() + random.pick([0, 0, 1]));
  }
  const h = hours.get(shelter.row.id)!;
  if (h.opens && h.closes && random.chance(0.25)) {
    // the very minute one shelter's window opens or closes (or one minute before), in its own zone
    const target = (random.chance(0.5) ? h.opens : h.closes).split(':').map(Number);
    const wanted = target[0] * 60 + target[1] - random.int(0, 1);
    at = Math.floor(at / MINUTE) * MINUTE;
    const { minute } = localClock(new Date(at), h.timeZone);
    at += ((((wanted - minute) % 1440) + 1440) % 1440) * MINUTE;
  }
  return new Date(at);
}

function generateCase(
  random: Random,
  index: number,
  network: Network,
  hours: Map<string, IntakeHours>,
  matches: (needs: NeedsProfile, id: string, now: Date) => boolean,
): Case {
  const ageRoll = random.next();
  const age =
    ageRoll < 0.15
      ? random.int(10, 17)
      : ageRoll < 0.4
        ? random.pick([17, 18, 21, 24, 25, 60, 65])
        : ageRoll < 0.95
          ? random.int(18, 80)
          : random.pick([0, 120]);
  // on the 0.01° grid, as the search takes every survivor's location (BedSearchService.search coarsens others)
  const location = random.chance(0.15)
    ? null
    : coarsen({
        latitude: BOX.minLat - 0.3 + random.next() * (BOX.maxLat - BOX.minLat + 0.6),
        longitude: BOX.minLng - 0.3 + random.next() * (BOX.maxLng - BOX.minLng + 0.6),
      });
  const radiusKm =
    location === null || random.chance(0.35)
      ? null
      : random.chance(0.5)
        ? random.pick([1, 5.5, 20, 50, 80, 150, 300, 2000])
        : 1 + random.next() * 400;
  const needs: NeedsProfile = {
    age,
    gender: random.pick(Object.values(Gender)),
    childrenAges: random.chance(0.3) ? Array.from({ length: random.int(1, 4) }, () => random.int(0, 17)) : [],
    languages: random.chance(0.2)
      ? []
      : random.chance(0.55)
        ? ['en', ...random.subset(LANGUAGES.slice(1), 0.15)]
        : random.nonEmptySubset(LANGUAGES.slice(1), 0.25),
    wheelchairUser: random.chance(0.15),
    hasPets: random.chance(0.12),
    substanceUse: random.pick(Object.values(SubstanceUse)),
    traffickingTypes: random.chance(0.05) ? [] : random.nonEmptySubset(Object.values(TraffickingType), 0.5),
    lgbtqAffirmingRequired: random.chance(0.2),
    willingToInvolveLawEnforcement: random.chance(0.6),
    immigrationStatus: random.pick(Object.values(ImmigrationStatus)),
    hasTraffickingRelatedRecord: random.chance(0.15),
    hasIdDocuments: random.chance(0.8),
    requiresVoluntaryProgramming: random.chance(0.2),
    cannotKeepCurfew: random.chance(0.12),
    minimumStayDays: random.chance(0.65) ? null : random.pick([1, 7, 14, 30, 90, 365, random.int(1, 3650)]),
    servicesNeeded: random.subset(Object.values(ShelterService), 0.15),
    urgency: random.pick([Urgency.TONIGHT, Urgency.TONIGHT, Urgency.WITHIN_72_HOURS, Urgency.PLANNED]),
    location,
    radiusKm,
    excludedRegionIds: random.chance(0.25) ? random.subset(network.placeIds, 0.12) : [],
    preferredRegionIds: random.chance(0.3) ? random.nonEmptySubset(network.placeIds, 0.15) : [],
  };
  const near = [...network.shelters]
    .sort((a, b) =>
      location
        ? roughKm(a, location) - roughKm(b, location)
        : b.verifiedMs - a.verifiedMs || (a.row.id < b.row.id ? -1 : 1),
    )
    .slice(0, 30);
  let skip: string[] = [];
  if (random.chance(0.3)) {
    skip = random.subset(near.slice(0, 20), 0.15).map((s) => s.row.id);
    if (skip.length === 0) skip = [random.pick(near).row.id];
  }
  // a radius exactly as far as one of the nearest shelters (measured in beforeAll, by either PostGIS measure)
  const radiusAt =
    location && random.chance(0.12)
      ? { shelterId: random.pick(near).row.id, measure: random.pick(['knn', 'sphere'] as const) }
      : undefined;
  return {
    index,
    needs,
    // without a location every match is in one distance band, where the stale flag decides most
    now: randomNow(random, near, hours, (id, now) => matches(needs, id, now), location ? 0.2 : 0.6),
    first: random.pick([5, 10]),
    skip,
    radiusAt,
  };
}

// ── the reference, in TypeScript ──────────────────────────────────────────────────────────────────────────────
interface RefMatch {
  id: string;
  poolId: string;
  key: RankKey;
}

interface Reference {
  limit: number;
  /** The examined window, with distances, in window order. */
  window: { id: string; distance: number | null }[];
  candidates: Map<string, SearchCandidate>;
  reasons: Map<string, ExclusionReason[]>;
  examined: number;
  excluded: number;
  exclusions: Map<ExclusionReason, number>;
  /** Per reason, the examined shelters that failed on it alone. */
  nearMisses: Map<ExclusionReason, number>;
  /** Every match, best first. */
  matches: RefMatch[];
  /** The last examined shelter and the first one left out, when they are equally far: only the id decides. */
  boundaryTie: string[] | null;
}

const countColumn = (reason: ExclusionReason) => `x_${reason.toLowerCase()}`;
const nearMissColumn = (reason: ExclusionReason) => `nm_${reason.toLowerCase()}`;
const sortedEntries = (m: Map<ExclusionReason, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

describe('search: the SQL statement agrees with the TypeScript engine', () => {
  let database: TestDatabase;
  let db: DataSource;
  let service: BedSearchService;
  let network: Network;
  const hours = new Map<string, IntakeHours>();
  /** Each shelter as `candidate()` loads it (at T0); per case only `acceptingIntakesNow` and the distance change. */
  const loaded = new Map<string, SearchCandidate>();
  const generated = new Map<string, GeneratedShelter>();
  const poolsOf = new Map<string, PoolRow[]>();
  const cases: Case[] = [];
  const mismatches: { index: number; text: string }[] = [];
  const coverage = {
    counted: new Map<ExclusionReason, number>(),
    secondPasses: 0,
    zeroMatches: 0,
    matches: 0,
    interpretation: 0,
    closedButRanked: 0,
    closedNowButInWindow: 0,
    nearMisses: 0,
    staleMatches: 0,
    freshMatches: 0,
    notPreferred: 0,
    servicesMissing: 0,
    lowerFitTier: 0,
    decidedByVerifiedAt: 0,
    decidedById: 0,
    decidedByIdDespiteMicros: 0,
    verifiedAtStaleThreshold: 0,
    lastExaminedOnTheRadius: 0,
    skipped: 0,
    noLocation: 0,
    withRadius: 0,
  };
  let seconds = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = new AppConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '8',
      LOG_LEVEL: 'silent',
      SEARCH_CANDIDATE_LIMIT: String(LIMIT),
      STALE_AFTER_MINUTES: String(STALE_AFTER_MINUTES),
    });
    db = new DataSource(dataSourceOptions(config));
    await db.initialize();
    service = new BedSearchService(db, config);

    const random = new Random(SEED);
    const [organisation] = await db.query<{ id: string }[]>(
      `INSERT INTO organisation (name, kind) VALUES ('Agreement Provider', 'SHELTER_PROVIDER') RETURNING id`,
    );
    network = generateNetwork(random, organisation.id);
    const insert = async (table: string, rows: object[], columns = Object.keys(rows[0])) => {
      const list = columns.join(', ');
      await db.query(
        `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`,
        [JSON.stringify(rows)],
      );
    };
    await insert('region', network.regions);
    await insert(
      'shelter',
      network.shelters.map((s) => s.row),
    );
    await insert('bed_pool', network.pools);

    for (const s of network.shelters) generated.set(s.row.id, s);
    for (const p of network.pools) poolsOf.set(p.shelter_id, [...(poolsOf.get(p.shelter_id) ?? []), p]);
    // the intake hours as stored (times come back as HH:MM:SS), read the way candidate() reads them
    const stored = await db.query<
      { id: string; a: boolean; d: number[]; o: string | null; c: string | null; z: string }[]
    >(
      `SELECT id, intake_always_open AS a, intake_days AS d, intake_opens AS o, intake_closes AS c, time_zone AS z
         FROM shelter`,
    );
    for (const h of stored) hours.set(h.id, { alwaysOpen: h.a, days: h.d, opens: h.o, closes: h.c, timeZone: h.z });
    for (const s of network.shelters) {
      const c = await service.candidate(s.row.id, new Date(T0));
      if (!c) throw new Error(`candidate() found no shelter ${s.row.id}`);
      loaded.set(s.row.id, c);
    }
    // only to steer a few `now`s onto a matching shelter's stale threshold
    const matches = (needs: NeedsProfile, id: string, now: Date) =>
      evaluate(needs, candidateAt(id, now, null)).pool !== null;
    for (let i = 0; i < PROFILES; i++) cases.push(generateCase(random, i, network, hours, matches));
    for (const c of cases) {
      if (!c.radiusAt || !c.needs.location) continue;
      const [d] = await db.query<{ knn: number; sphere: number }[]>(
        `SELECT s.public_location <-> q.pt AS knn, ST_Distance(s.public_location, q.pt, false) AS sphere
           FROM shelter s, (SELECT ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326)::geography AS pt) q
          WHERE s.id = $1`,
        [c.radiusAt.shelterId, c.needs.location.longitude, c.needs.location.latitude],
      );
      c.needs.radiusKm = d[c.radiusAt.measure] / 1000;
    }
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  /** The candidate at `now`: what candidate(id, now) returns, with the window's distance. */
  function candidateAt(id: string, now: Date, distance: number | null): SearchCandidate {
    const c = loaded.get(id)!;
    const active = c.status === ShelterStatus.ACTIVE;
    return {
      ...c,
      acceptingIntakesNow: active && acceptsIntakeAt(hours.get(id)!, now),
      minutesUntilIntake: active ? minutesUntilIntake(hours.get(id)!, now) : null,
      distanceMeters: distance,
    };
  }

  /** The examined window, by the statement's own rule: nearest `limit` (within the radius), minus `skip`. */
  async function windowOf(needs: NeedsProfile, skip: string[], limit: number) {
    const params: unknown[] = [limit];
    const where: string[] = [];
    let distance = 'NULL::float8';
    let order = 's.availability_verified_at DESC, s.id';
    if (needs.location) {
      params.push(needs.location.longitude, needs.location.latitude);
      const point = 'ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326)::geography';
      distance = `ST_Distance(s.public_location, ${point}, false)`;
      // distance ties (shelters share coarsened public points) broken by id, as every other tie in search
      order = `s.public_location <-> ${point}, s.id`;
      if (needs.radiusKm !== null) {
        params.push(needs.radiusKm * 1000);
        where.push(`ST_DWithin(s.public_location, ${point}, $4::float8, false)`);
      }
    }
    if (skip.length > 0) {
      params.push(skip);
      where.push(`s.id <> ALL ($${params.length}::uuid[])`);
    }
    return db.query<{ id: string; distance: number | null }[]>(
      `SELECT s.id, ${distance} AS distance FROM shelter s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${order} LIMIT $1::int`,
      params,
    );
  }

  async function reference(c: Case, limit: number): Promise<Reference> {
    const staleBefore = new Date(c.now.getTime() - STALE_AFTER_MINUTES * MINUTE);
    // one more than the window, to see whether the cut falls between two equally distant shelters
    const nearest = await windowOf(c.needs, c.skip, limit + 1);
    const window = nearest.slice(0, limit);
    const [last, next] = [nearest[limit - 1], nearest[limit]];
    const ref: Reference = {
      limit,
      window,
      candidates: new Map(),
      reasons: new Map(),
      examined: window.length,
      excluded: 0,
      exclusions: new Map(),
      nearMisses: new Map(),
      matches: [],
      boundaryTie: c.needs.location && next && last.distance === next.distance ? [last.id, next.id] : null,
    };
    for (const { id, distance } of window) {
      const candidate = candidateAt(id, c.now, distance);
      ref.candidates.set(id, candidate);
      const { reasons, pool } = evaluate(c.needs, candidate);
      ref.reasons.set(id, reasons);
      for (const reason of reasons) ref.exclusions.set(reason, (ref.exclusions.get(reason) ?? 0) + 1);
      if (reasons.length === 1) ref.nearMisses.set(reasons[0], (ref.nearMisses.get(reasons[0]) ?? 0) + 1);
      if (reasons.length > 0) ref.excluded++;
      else {
        const stale = candidate.availabilityVerifiedAt < staleBefore;
        ref.matches.push({ id, poolId: pool!.id, key: rankKey(c.needs, candidate, pool!.fitTier, stale, c.now) });
      }
    }
    ref.matches.sort((a, b) => compareRankKeys(a.key, b.key));
    return ref;
  }

  /** Everything about one shelter that can explain a disagreement. */
  function shelterDetails(id: string, c: Case, ref?: Reference) {
    const g = generated.get(id);
    const h = hours.get(id);
    const candidate = ref?.candidates.get(id) ?? candidateAt(id, c.now, null);
    return {
      id,
      row: g?.row,
      pools: poolsOf.get(id) ?? [],
      localClockAtNow: h ? localClock(c.now, h.timeZone) : null,
      tsAcceptingIntakesNow: candidate.acceptingIntakesNow,
      tsMinutesUntilIntake: candidate.minutesUntilIntake,
      tsReasons: evaluate(c.needs, candidate).reasons,
      distanceMeters: candidate.distanceMeters,
      tsKey: ref?.matches.find((m) => m.id === id)?.key,
    };
  }

  function report(c: Case, what: string, details: unknown) {
    mismatches.push({
      index: c.index,
      text:
        `seed ${SEED}, profile #${c.index}: ${what}\n` +
        `  case: ${JSON.stringify({ now: c.now.toISOString(), first: c.first, skip: c.skip, needs: c.needs })}\n` +
        `  ${JSON.stringify(details, null, 1).replace(/\n\s*/g, ' ')}`,
    });
  }

  /** (1) The raw statement against the reference for one window size. */
  async function checkStatement(c: Case, ref: Reference) {
    const staleBefore = new Date(c.now.getTime() - STALE_AFTER_MINUTES * MINUTE);
    const statement = searchStatement(c.needs, {
      limit: ref.limit,
      first: c.first,
      now: c.now,
      staleBefore,
      skip: c.skip,
    });
    const rows = await db.query<Record<string, any>[]>(statement.sql, statement.params);
    const pass = `raw statement (limit ${ref.limit})`;
    const head = rows[0];
    for (const reason of statement.reasons) {
      if (head[countColumn(reason)] > 0)
        coverage.counted.set(reason, (coverage.counted.get(reason) ?? 0) + head[countColumn(reason)]);
    }
    if (head.examined !== ref.examined || head.excluded !== ref.excluded) {
      report(c, `${pass}: examined/excluded differ`, {
        sql: { examined: head.examined, excluded: head.excluded },
        ts: { examined: ref.examined, excluded: ref.excluded },
      });
    }
    for (const reason of Object.values(ExclusionReason)) {
      const alone = ref.nearMisses.get(reason) ?? 0;
      const gotAlone = statement.reasons.includes(reason) ? head[nearMissColumn(reason)] : 0;
      if (gotAlone !== alone) {
        report(c, `${pass}: shelters failing on ${reason} alone differ (SQL ${gotAlone}, TS ${alone})`, {
          tsAlone: ref.window.filter((w) => ref.reasons.get(w.id)!.join() === String(reason)).map((w) => w.id),
        });
      }
      const expected = ref.exclusions.get(reason) ?? 0;
      const returned = statement.reasons.includes(reason);
      const got = returned ? head[countColumn(reason)] : 0;
      if (got !== expected) {
        report(
          c,
          `${pass}: count for ${reason} differs (${returned ? 'SQL' : 'not returned by SQL'} ${got}, TS ${expected})`,
          {
            tsExcludedFor: ref.window.filter((w) => ref.reasons.get(w.id)!.includes(reason)).map((w) => w.id),
            // the statement orders its window by distance alone: at a tie it may examine the other shelter
            windowBoundaryTie: ref.boundaryTie && {
              examinedByReference: shelterDetails(ref.boundaryTie[0], c, ref),
              leftOutByReference: shelterDetails(ref.boundaryTie[1], c),
            },
          },
        );
      }
    }
    const top = ref.matches.slice(0, c.first);
    const got = rows.filter((r) => r.id !== null);
    if (got.length === 0 && rows.length !== 1) report(c, `${pass}: ${rows.length} rows for no match`, {});
    const sqlOrder = got.map((r) => r.id as string);
    const tsOrder = top.map((m) => m.id);
    if (JSON.stringify(sqlOrder) !== JSON.stringify(tsOrder)) {
      const at = sqlOrder.findIndex((id, i) => id !== tsOrder[i]);
      const i = at === -1 ? Math.min(sqlOrder.length, tsOrder.length) : at;
      const ids = [...new Set([sqlOrder[i], tsOrder[i]].filter((x): x is string => !!x))];
      report(c, `${pass}: matches differ from position ${i}`, {
        sql: sqlOrder,
        ts: tsOrder,
        tsKeys: top.map((m) => m.key),
        shelters: ids.map((id) => shelterDetails(id, c, ref)),
      });
    }
    // The statement names no chosen pool (its bed-fit tier only orders the rows); it returns each match's fitting
    // pools, from which the chosen one follows: they must be exactly the stored ones, the reference's choice among
    // them, and the distance the reference measured.
    const types = fittingBedTypes(c.needs);
    for (const [i, r] of got.entries()) {
      const expectedPools = (poolsOf.get(r.id) ?? [])
        .filter((p) => types.includes(p.bed_type))
        .map((p) => ({ id: p.id, bedType: p.bed_type, available: p.capacity - p.occupied - p.held - p.out_of_service }))
        .sort((a, b) => Object.values(BedType).indexOf(a.bedType) - Object.values(BedType).indexOf(b.bedType));
      const distance = ref.window.find((w) => w.id === r.id)?.distance ?? null;
      const pools = (r.pools ?? []) as { id: string }[];
      const chosen = top[i]?.id === r.id ? top[i].poolId : undefined;
      const distanceAgrees =
        distance === null || r.distance_m === null
          ? distance === r.distance_m
          : Math.abs(r.distance_m - distance) <= DISTANCE_TOLERANCE_M;
      if (
        JSON.stringify(pools) !== JSON.stringify(expectedPools) ||
        (chosen !== undefined && !pools.some((p) => p.id === chosen)) ||
        !distanceAgrees
      ) {
        report(c, `${pass}: columns of returned row ${r.id} differ`, {
          sql: { pools: r.pools, distance: r.distance_m },
          expected: { pools: expectedPools, chosenPool: chosen, distance },
        });
      }
    }
  }

  /** (3) Every rule's SQL verdict, `open_now` and the minutes until intake, per examined shelter, against the TypeScript. */
  async function checkVerdicts(c: Case, ref: Reference) {
    if (ref.window.length === 0) return;
    const p = new SqlParams();
    const now = p.add(c.now, 'timestamptz');
    const ids = p.add(
      ref.window.map((w) => w.id),
      'uuid[]',
    );
    const rules = RULES.map((rule) => ({ reason: rule.reason, sql: rule.sql(c.needs, p) })).filter(
      (rule): rule is { reason: ExclusionReason; sql: string } => rule.sql !== null,
    );
    const rows = await db.query<Record<string, any>[]>(
      `SELECT n.id, c.open_now, ${minutesUntilIntakeSql({ weekday: 'k.weekday', minute: 'k.minute' }, 'c.open_now')}
                AS minutes_until_intake,
              ${rules.map((r) => `coalesce((${r.sql}), false) AS ${countColumn(r.reason)}`).join(', ')}
         FROM shelter n JOIN region r ON r.id = n.region_id
        CROSS JOIN LATERAL (${localClockSql(now)}) k
        CROSS JOIN LATERAL (SELECT ${acceptingIntakesSql({ weekday: 'k.weekday', minute: 'k.minute' })} AS open_now) c
        WHERE n.id = ANY (${ids})`,
      p.values,
    );
    const ruled = new Set(rules.map((r) => r.reason));
    for (const row of rows) {
      const candidate = ref.candidates.get(row.id)!;
      const differs: string[] = [];
      if (row.open_now !== candidate.acceptingIntakesNow) differs.push('open_now');
      if (row.minutes_until_intake !== candidate.minutesUntilIntake) {
        differs.push(`minutes until intake (SQL ${row.minutes_until_intake}, TS ${candidate.minutesUntilIntake})`);
      }
      for (const rule of RULES) {
        const ts = rule.excludes(c.needs, candidate);
        const sql = ruled.has(rule.reason) ? (row[countColumn(rule.reason)] as boolean) : false;
        if (ts !== sql) differs.push(`${rule.reason} (SQL ${sql}, TS ${ts})`);
      }
      if (differs.length > 0) {
        report(c, `rule verdicts differ for ${row.id}: ${differs.join(', ')}`, {
          sqlOpenNow: row.open_now,
          shelter: shelterDetails(row.id, c, ref),
        });
      }
    }
  }

  /**
   * (2) The service against the reference: examined and counted are the nearest `limit`; when they hold fewer than
   * `first` matches, the search goes on further out (window positions `limit` … `limit` × 10, in window order) until
   * `first` more match, uncounted; all the matches found are ranked together and the best `first` returned.
   */
  function expectedSearch(c: Case, nearest: Reference, wide: Reference | null) {
    let matches = nearest.matches;
    let further: RefMatch[] = [];
    if (wide) {
      const matched = new Map(wide.matches.map((m) => [m.id, m]));
      further = wide.window
        .slice(LIMIT)
        .filter((w) => matched.has(w.id))
        .slice(0, c.first)
        .map((w) => matched.get(w.id)!);
      matches = [...matches, ...further].sort((a, b) => compareRankKeys(a.key, b.key));
    }
    return { matches: matches.slice(0, c.first), further };
  }

  function checkService(c: Case, nearest: Reference, wide: Reference | null, result: BedSearchResult) {
    const expected = {
      matches: expectedSearch(c, nearest, wide).matches.map((m) => [m.id, m.poolId]),
      examined: nearest.examined,
      excluded: nearest.excluded,
      exclusions: sortedEntries(nearest.exclusions),
      nearMisses: sortedEntries(nearest.nearMisses),
    };
    const got = {
      matches: result.matches.map((m) => [m.candidate.id, m.pool.id]),
      examined: result.examined,
      excluded: result.excluded,
      exclusions: sortedEntries(result.exclusions),
      nearMisses: sortedEntries(result.nearMisses),
    };
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      const i = got.matches.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(expected.matches[k]));
      const ids = [got.matches[i]?.[0], expected.matches[i]?.[0]].filter((x): x is string => !!x);
      report(c, `search() differs from the reference${wide ? ' (widened)' : ''}`, {
        got,
        expected,
        shelters: [...new Set(ids)].map((id) => shelterDetails(id, c, wide ?? nearest)),
      });
    }
  }

  /** The raw wider statement: the first `first` matches past the nearest `limit`, in window order. */
  async function checkWider(c: Case, nearest: Reference, wide: Reference) {
    const staleBefore = new Date(c.now.getTime() - STALE_AFTER_MINUTES * MINUTE);
    const options = { limit: LIMIT, first: c.first, now: c.now, staleBefore, skip: c.skip };
    // the walk starts where the first statement's window ends
    const first = searchStatement(c.needs, options);
    const [end] = await db.query<{ last_distance: number | null; last_id: string; last_verified: string }[]>(
      first.sql,
      first.params,
    );
    const after = { distance: end.last_distance, id: end.last_id, verified: end.last_verified };
    const statement = widerStatement(c.needs, { ...options, after });
    const rows = await db.query<{ id: string; distance_m: number | null }[]>(statement.sql, statement.params);
    // equally distant shelters come in index order; the service settles them by id and keeps the first `first`
    if (c.needs.location) rows.sort((a, b) => a.distance_m! - b.distance_m! || (a.id < b.id ? -1 : 1));
    const got = rows.slice(0, c.first).map((r) => r.id);
    const expected = expectedSearch(c, nearest, wide).further.map((m) => m.id);
    if (JSON.stringify([...got].sort()) !== JSON.stringify([...expected].sort())) {
      const position = new Map(wide.window.map((w, i) => [w.id, { at: i, distance: w.distance }]));
      report(c, `widerStatement returns other shelters than the first ${c.first} matches past the nearest ${LIMIT}`, {
        sql: got.map((id) => ({ id, window: position.get(id), tsReasons: wide.reasons.get(id) })),
        ts: expected.map((id) => ({ id, window: position.get(id) })),
      });
    }
  }

  const micros = (id: string) => generated.get(id)!.row.availability_verified_at.slice(20, 26);

  function noteCoverage(c: Case, nearest: Reference, top: RefMatch[]) {
    const staleBefore = c.now.getTime() - STALE_AFTER_MINUTES * MINUTE;
    // a match verified exactly at the stale threshold (to the microsecond): fresh, as `<` says
    for (const m of nearest.matches) {
      const g = generated.get(m.id)!;
      if (g.verifiedMs === staleBefore && micros(m.id).endsWith('000')) coverage.verifiedAtStaleThreshold++;
    }
    if (c.radiusAt) {
      const at = nearest.window.findIndex((w) => w.id === c.radiusAt!.shelterId);
      if (at !== -1 && at === nearest.window.length - 1) coverage.lastExaminedOnTheRadius++;
    }
    coverage.matches += top.length;
    if (top.length === 0) coverage.zeroMatches++;
    coverage.nearMisses += [...nearest.nearMisses.values()].reduce((a, b) => a + b, 0);
    if (c.skip.length > 0) coverage.skipped++;
    if (!c.needs.location) coverage.noLocation++;
    if (c.needs.radiusKm !== null) coverage.withRadius++;
    for (const [k, m] of top.entries()) {
      if (m.key.languageViaInterpretation) coverage.interpretation++;
      if (m.key.intakeOutsideWindow) coverage.closedButRanked++;
      const candidate = nearest.candidates.get(m.id);
      if (candidate && !candidate.acceptingIntakesNow && !m.key.intakeOutsideWindow) coverage.closedNowButInWindow++;
      if (m.key.stale) coverage.staleMatches++;
      else coverage.freshMatches++;
      if (m.key.notPreferredRegion) coverage.notPreferred++;
      if (m.key.servicesMissing > 0) coverage.servicesMissing++;
      if (m.key.bedFitTier > 0) coverage.lowerFitTier++;
      const previous = top[k - 1]?.key;
      if (previous && previous.distanceMeters === m.key.distanceMeters && previous.bedFitTier === m.key.bedFitTier) {
        if (previous.verifiedAgoMs === m.key.verifiedAgoMs) {
          coverage.decidedById++;
          if (micros(previous.shelterId) !== micros(m.id)) coverage.decidedByIdDespiteMicros++;
        } else coverage.decidedByVerifiedAt++;
      }
    }
  }

  async function runCase(c: Case) {
    const first = await reference(c, LIMIT);
    await checkStatement(c, first);
    await checkVerdicts(c, first);
    let wide: Reference | null = null;
    if (first.matches.length < c.first && first.examined >= LIMIT) {
      coverage.secondPasses++;
      // the window out to limit × 10: the raw statement must agree over it too, and the search goes on in it
      wide = await reference(c, LIMIT * 10);
      await checkStatement(c, wide);
      await checkVerdicts(c, wide);
      await checkWider(c, first, wide);
    }
    checkService(c, first, wide, await service.search(c.needs, c.first, c.now, c.skip));
    noteCoverage(c, first, expectedSearch(c, first, wide).matches);
    // candidate(id, now) itself, for the nearest two: the reference derives it from the load at T0
    for (const { id } of first.window.slice(0, 2)) {
      const direct = await service.candidate(id, c.now);
      const derived = candidateAt(id, c.now, null);
      if (JSON.stringify(direct) !== JSON.stringify(derived))
        report(c, `candidate(${id}, now) differs`, { direct, derived });
    }
  }

  it('returns the same matches, order, pools and exclusion counts as eligibility.ts and ranking.ts', async () => {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) await runCase(cases[next++]);
      }),
    );
    seconds = (performance.now() - started) / 1000;
    mismatches.sort((a, b) => a.index - b.index);
    const profiles = new Set(mismatches.map((m) => m.index)).size;
    const summary = `seed ${SEED}: ${mismatches.length} mismatches in ${profiles} of ${PROFILES} profiles`;
    expect({ summary, details: mismatches.slice(0, 25).map((m) => m.text) }).toEqual({
      summary: `seed ${SEED}: 0 mismatches in 0 of ${PROFILES} profiles`,
      details: [],
    });
  }, 120_000);

  it('exercised every rule, closed intake, interpretation, second passes, ties and empty results', () => {
    const uncounted = Object.values(ExclusionReason).filter((r) => !coverage.counted.has(r));
    const report = {
      seed: SEED,
      seconds: Number(seconds.toFixed(1)),
      ...coverage,
      counted: Object.fromEntries(coverage.counted),
    };
    expect({ uncounted, report }).toEqual({ uncounted: [], report });
    for (const key of [
      'secondPasses',
      'zeroMatches',
      'interpretation',
      'closedButRanked',
      'closedNowButInWindow',
      'nearMisses',
      'staleMatches',
      'freshMatches',
      'notPreferred',
      'servicesMissing',
      'lowerFitTier',
      'decidedByVerifiedAt',
      'decidedById',
      'decidedByIdDespiteMicros',
      'verifiedAtStaleThreshold',
      'lastExaminedOnTheRadius',
      'skipped',
      'noLocation',
      'withRadius',
    ] as const) {
      expect({ [key]: coverage[key] > 0, report }).toEqual({ [key]: true, report });
    }
    expect(coverage.counted.get(ExclusionReason.INTAKE_CLOSED)).toBeGreaterThan(0);
    expect(coverage.zeroMatches).toBeLessThan(PROFILES);
  });
});
