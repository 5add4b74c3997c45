import { BedType, NeedsProfile, Urgency } from '../vocabulary';
import { languageFit, languageViaInterpretationSql, ShelterCandidate } from './eligibility';
import { SqlParams } from './sql-params';

/** Distances within one band count as equally near, so fresher counts and better services decide among them. */
export const DISTANCE_BAND_KM = 25;

/**
 * How soon a shelter must take intakes to be in time for each urgency, in minutes: TONIGHT needs intake open now;
 * within 72 hours, an intake window that opens within 72 hours; a planned move, any intake window in a week.
 */
export const INTAKE_WINDOW_MINUTES: Readonly<Record<Urgency, number>> = {
  [Urgency.TONIGHT]: 0,
  [Urgency.WITHIN_72_HOURS]: 72 * 60,
  [Urgency.PLANNED]: 7 * 24 * 60,
};

export interface RankedMatch {
  candidate: ShelterCandidate;
  pool: { id: string; bedType: BedType; available: number; fitTier: number };
  stale: boolean;
  distanceKm: number | null;
  /** The ranking key, most important first; lower sorts first. Explains the order to a reader. */
  key: RankKey;
}

export interface RankKey {
  bedFitTier: number;
  /** Intake does not open within the urgency's window (INTAKE_WINDOW_MINUTES). */
  intakeOutsideWindow: 0 | 1;
  notPreferredRegion: 0 | 1;
  languageViaInterpretation: 0 | 1;
  distanceBand: number;
  stale: 0 | 1;
  servicesMissing: number;
  distanceMeters: number;
  verifiedAgoMs: number;
  shelterId: string;
}

export function rankKey(needs: NeedsProfile, c: ShelterCandidate, fitTier: number, stale: boolean, now: Date): RankKey {
  const distanceMeters = c.distanceMeters ?? 0;
  return {
    bedFitTier: fitTier,
    intakeOutsideWindow:
      c.minutesUntilIntake !== null && c.minutesUntilIntake <= INTAKE_WINDOW_MINUTES[needs.urgency] ? 0 : 1,
    notPreferredRegion:
      needs.preferredRegionIds.length === 0 || needs.preferredRegionIds.some((id) => c.regionPath.includes(id)) ? 0 : 1,
    languageViaInterpretation: languageFit(needs, c) === 1 ? 1 : 0,
    distanceBand: Math.floor(distanceMeters / 1000 / DISTANCE_BAND_KM),
    stale: stale ? 1 : 0,
    servicesMissing: needs.servicesNeeded.filter((s) => !c.services.includes(s)).length,
    distanceMeters,
    verifiedAgoMs: now.getTime() - c.availabilityVerifiedAt.getTime(),
    shelterId: c.id,
  };
}

const ORDER: readonly (keyof RankKey)[] = [
  'bedFitTier',
  'intakeOutsideWindow',
  'notPreferredRegion',
  'languageViaInterpretation',
  'distanceBand',
  'stale',
  'servicesMissing',
  'distanceMeters',
  'verifiedAgoMs',
  'shelterId',
];

/** A total, deterministic order: the shelter id breaks every remaining tie. */
export function compareRankKeys(a: RankKey, b: RankKey): number {
  for (const field of ORDER) {
    const x = a[field];
    const y = b[field];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/**
 * The same order in SQL, for the search statement's rows (`n` the shelter, `r` its region, `c.minutes_until_intake`,
 * `fit` the chosen pool, `n.distance_m`): an ORDER BY list, field for field as ORDER above. Only matching rows are
 * ordered, so a shelter that needs interpretation is known to offer it.
 */
export function rankOrderSql(needs: NeedsProfile, p: SqlParams, now: Date, staleBefore: Date): string {
  const distance = 'coalesce(n.distance_m, 0)';
  const terms: Record<keyof RankKey, string> = {
    bedFitTier: 'fit.tier',
    intakeOutsideWindow: `coalesce(c.minutes_until_intake > ${p.add(INTAKE_WINDOW_MINUTES[needs.urgency], 'int')}, true)`,
    notPreferredRegion:
      needs.preferredRegionIds.length === 0 ? 'false' : `NOT r.path && ${p.add(needs.preferredRegionIds, 'uuid[]')}`,
    languageViaInterpretation: languageViaInterpretationSql(needs, p) ?? 'false',
    distanceBand: `floor(${distance} / 1000::float8 / ${p.add(DISTANCE_BAND_KM, 'float8')})`,
    stale: `n.availability_verified_at < ${p.add(staleBefore, 'timestamptz')}`,
    servicesMissing:
      needs.servicesNeeded.length === 0
        ? '0'
        : `(SELECT count(*) FROM unnest(${p.add(needs.servicesNeeded, 'text[]')}) AS s WHERE NOT s = ANY (n.services))`,
    distanceMeters: distance,
    // JavaScript dates hold milliseconds; Postgres keeps microseconds
    verifiedAgoMs: `${p.add(now, 'timestamptz')} - date_trunc('milliseconds', n.availability_verified_at)`,
    shelterId: 'n.id',
  };
  return ORDER.map((field) => terms[field]).join(', ');
}
