import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { BedType, Eligibility, ExclusionReason, NeedsProfile, ShelterService, ShelterStatus } from '../vocabulary';
import { evaluate, fittingBedTypes, ShelterCandidate } from './eligibility';
import { acceptsIntakeAt } from './intake-hours';
import { compareRankKeys, RankedMatch, rankKey } from './ranking';

export interface SearchCandidate extends ShelterCandidate {
  city: string;
  regionId: string;
  latitude: number;
  longitude: number;
  holdMinutes: number;
  responseMinutes: number;
}

export interface BedSearchResult {
  matches: (RankedMatch & { candidate: SearchCandidate })[];
  /** Shelters examined: the nearest SEARCH_CANDIDATE_LIMIT (within the radius), or more when too few matched. */
  examined: number;
  excluded: number;
  /** Per reason, the shelters it excluded; a shelter failing several rules counts under each. */
  exclusions: Map<ExclusionReason, number>;
}

interface Row {
  id: string;
  name: string;
  city: string;
  region_id: string;
  region_path: string[];
  status: ShelterStatus;
  services: ShelterService[];
  intake_always_open: boolean;
  intake_days: number[];
  intake_opens: string | null;
  intake_closes: string | null;
  time_zone: string;
  hold_minutes: number;
  response_minutes: number;
  availability_verified_at: Date;
  latitude: number;
  longitude: number;
  distance_m: number | null;
  pools: { id: string; bedType: BedType; available: number }[] | null;
  e: Eligibility;
}

/** The candidate columns, over `n` (shelters) and `r` (their region); $2 is the bed types of interest. */
const SELECT_CANDIDATES = `SELECT n.id, n.name, n.city, n.region_id, r.path AS region_path, n.status, n.services,
       n.intake_always_open, n.intake_days, n.intake_opens, n.intake_closes, n.time_zone,
       n.hold_minutes, n.response_minutes, n.availability_verified_at, n.distance_m,
       ST_Y(n.public_location::geometry) AS latitude, ST_X(n.public_location::geometry) AS longitude,
       json_build_object(
         'genders', n.elig_genders, 'minAge', n.elig_min_age, 'maxAge', n.elig_max_age,
         'acceptsUnaccompaniedMinors', n.elig_unaccompanied_minors, 'acceptsChildren', n.elig_accepts_children,
         'maxChildren', n.elig_max_children, 'childMinAge', n.elig_child_min_age, 'childMaxAge', n.elig_child_max_age,
         'traffickingTypes', n.elig_trafficking_types, 'languages', n.elig_languages,
         'wheelchairAccessible', n.elig_wheelchair_accessible, 'petsAllowed', n.elig_pets_allowed,
         'substanceUsePolicy', n.elig_substance_use_policy, 'lgbtqAffirming', n.elig_lgbtq_affirming,
         'requiresLawEnforcementCooperation', n.elig_requires_law_enforcement,
         'immigrationPolicy', n.elig_immigration_policy,
         'acceptsTraffickingRelatedRecords', n.elig_accepts_trafficking_records,
         'requiresIdDocuments', n.elig_requires_id_documents, 'programming', n.elig_programming,
         'curfew', n.elig_curfew, 'maxStayDays', n.elig_max_stay_days) AS e,
       (SELECT json_agg(json_build_object('id', p.id, 'bedType', p.bed_type, 'available', p.available)
                        ORDER BY p.bed_type)
          FROM bed_pool p WHERE p.shelter_id = n.id AND p.bed_type = ANY($2::bed_type[])) AS pools`;

const POINT = 'ST_SetSRID(ST_MakePoint($4, $3), 4326)::geography';

/**
 * The search statement: shelters nearest first through the GiST index (`<->` with a limit, so the cost does not
 * grow with the network), taken in a MATERIALIZED CTE before pools are joined (PostGIS misestimates ST_DWithin
 * row counts and would otherwise pick a bad join). Eligibility and ranking run on the returned rows in
 * eligibility.ts and ranking.ts: one engine, shared by search and referral matching.
 * Parameters: $1 limit, $2 fitting bed types, then (with a location) $3 latitude, $4 longitude, $5 radius in metres.
 */
export function searchQuery(needs: NeedsProfile, limit: number): { sql: string; params: unknown[] } {
  const { location, radiusKm } = needs;
  const params: unknown[] = [limit, fittingBedTypes(needs)];
  if (location) params.push(location.latitude, location.longitude);
  if (location && radiusKm !== null) params.push(radiusKm * 1000);
  const located = location !== null;
  const where = params.length === 5 ? `WHERE ST_DWithin(s.public_location, ${POINT}, $5, false)` : '';
  const distance = located ? `ST_Distance(s.public_location, ${POINT}, false)` : 'NULL::float8';
  const order = located ? `s.public_location <-> ${POINT}` : 's.availability_verified_at DESC, s.id';
  const sql = `
WITH nearest AS MATERIALIZED (
  SELECT s.*, ${distance} AS distance_m
    FROM shelter s
   ${where}
   ORDER BY ${order}
   LIMIT $1
)
${SELECT_CANDIDATES}
  FROM nearest n JOIN region r ON r.id = n.region_id`;
  return { sql, params };
}

@Injectable()
export class BedSearchService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** `skipShelterIds`: shelters that already declined or let this referral time out; they are not examined. */
  async search(
    needs: NeedsProfile,
    first: number,
    now = new Date(),
    skipShelterIds: readonly string[] = [],
  ): Promise<BedSearchResult> {
    const limit = this.config.env.SEARCH_CANDIDATE_LIMIT;
    let result = await this.run(needs, first, limit, now, skipShelterIds);
    // too few matches among the nearest shelters: look once more, further out
    if (result.matches.length < first && result.examined + skipShelterIds.length >= limit) {
      result = await this.run(needs, first, limit * 10, now, skipShelterIds);
    }
    return result;
  }

  /** One shelter as a search candidate with all its pools, to test waitlisted needs against it. */
  async candidate(shelterId: string, now = new Date()): Promise<SearchCandidate | null> {
    const rows: Row[] = await this.db.query(
      `WITH nearest AS (SELECT s.*, NULL::float8 AS distance_m FROM shelter s WHERE s.id = $1)
       ${SELECT_CANDIDATES} FROM nearest n JOIN region r ON r.id = n.region_id`,
      [shelterId, Object.values(BedType)],
    );
    return rows[0] ? toCandidate(rows[0], now) : null;
  }

  private async run(
    needs: NeedsProfile,
    first: number,
    limit: number,
    now: Date,
    skipShelterIds: readonly string[],
  ): Promise<BedSearchResult> {
    const { sql, params } = searchQuery(needs, limit);
    const rows: Row[] = (await this.db.query<Row[]>(sql, params)).filter((r) => !skipShelterIds.includes(r.id));
    const staleBefore = now.getTime() - this.config.env.STALE_AFTER_MINUTES * 60_000;
    const exclusions = new Map<ExclusionReason, number>();
    const matches: BedSearchResult['matches'] = [];
    for (const row of rows) {
      const candidate = toCandidate(row, now);
      const { reasons, pool } = evaluate(needs, candidate);
      for (const reason of reasons) exclusions.set(reason, (exclusions.get(reason) ?? 0) + 1);
      if (!pool) continue;
      const stale = candidate.availabilityVerifiedAt.getTime() < staleBefore;
      matches.push({
        candidate,
        pool,
        stale,
        distanceKm: candidate.distanceMeters === null ? null : Math.round(candidate.distanceMeters / 1000),
        key: rankKey(needs, candidate, pool.fitTier, stale, now),
      });
    }
    matches.sort((a, b) => compareRankKeys(a.key, b.key));
    return {
      matches: matches.slice(0, first),
      examined: rows.length,
      excluded: rows.length - matches.length,
      exclusions,
    };
  }
}

function toCandidate(row: Row, now: Date): SearchCandidate {
  return {
    id: row.id,
    name: row.name,
    city: row.city,
    regionId: row.region_id,
    regionPath: row.region_path,
    status: row.status,
    services: row.services,
    latitude: row.latitude,
    longitude: row.longitude,
    holdMinutes: row.hold_minutes,
    responseMinutes: row.response_minutes,
    acceptingIntakesNow:
      row.status === ShelterStatus.ACTIVE &&
      acceptsIntakeAt(
        {
          alwaysOpen: row.intake_always_open,
          days: row.intake_days,
          opens: row.intake_opens,
          closes: row.intake_closes,
          timeZone: row.time_zone,
        },
        now,
      ),
    eligibility: row.e,
    pools: row.pools ?? [],
    distanceMeters: row.distance_m,
    availabilityVerifiedAt: row.availability_verified_at,
  };
}
