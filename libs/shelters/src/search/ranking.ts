import { BedType, NeedsProfile } from '../vocabulary';
import { languageFit, ShelterCandidate } from './eligibility';

/** Distances within one band count as equally near, so fresher counts and better services decide among them. */
export const DISTANCE_BAND_KM = 25;

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
  intakeClosedNow: 0 | 1;
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
    intakeClosedNow: c.acceptingIntakesNow ? 0 : 1,
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
  'intakeClosedNow',
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
