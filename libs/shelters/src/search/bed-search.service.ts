import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { eligibilityJsonSql } from '../entities/eligibility-columns';
import { Actor } from '@shelterlink/common';
import { coarsenNeeds } from '../shelter-input';
import { directoryScope } from '../shelter-view';
import { BedType, Eligibility, ExclusionReason, NeedsProfile, ShelterService, ShelterStatus } from '../vocabulary';
import { evaluate, fittingBedTypes, missingBedReason, RULES, ShelterCandidate } from './eligibility';
import {
  acceptingIntakesSql,
  acceptsIntakeAt,
  IntakeHours,
  localClockSql,
  minutesUntilIntake,
  minutesUntilIntakeSql,
} from './intake-hours';
import { compareRankKeys, RankedMatch, rankKey, rankOrderSql } from './ranking';
import { SqlParams } from './sql-params';

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
  /**
   * Shelters examined, every rule counted: the nearest SEARCH_CANDIDATE_LIMIT (within the radius). When fewer than
   * `first` of them matched, matches come from further out too (up to ten times as many shelters), uncounted.
   */
  examined: number;
  /** Examined shelters that did not match. */
  excluded: number;
  /** Per reason, the shelters it excluded; a shelter failing several rules counts under each. */
  exclusions: Map<ExclusionReason, number>;
  /** Per reason, the examined shelters that failed on it alone: they would have fitted but for it. */
  nearMisses: Map<ExclusionReason, number>;
}

/**
 * What stood between these needs and a bed: the reasons of the shelters that failed on exactly one rule (they would
 * have fitted but for it), or, when no shelter came that close, every reason that excluded one. Kept per
 * waitlisted referral for the unmet-need report, so a reason that blocked nobody (a paused youth shelter nearby,
 * when an adult's accessible bed was full) is not reported as the need.
 */
export function blockingReasons(result: Pick<BedSearchResult, 'exclusions' | 'nearMisses'>): ExclusionReason[] {
  const reasons = result.nearMisses.size > 0 ? result.nearMisses : result.exclusions;
  return [...reasons.keys()].sort();
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

/** The candidate columns, over `n` (shelters), `r` (their region) and `x.distance_m`; `types` the bed types wanted. */
function candidateColumns(types: string): string {
  return `n.id, n.name, n.city, n.region_id, r.path AS region_path, n.status, n.services,
       n.intake_always_open, n.intake_days, n.intake_opens, n.intake_closes, n.time_zone,
       n.hold_minutes, n.response_minutes, n.availability_verified_at, x.distance_m,
       ST_Y(n.public_location::geometry) AS latitude, ST_X(n.public_location::geometry) AS longitude,
       ${eligibilityJsonSql('n')} AS e,
       (SELECT json_agg(json_build_object('id', p.id, 'bedType', p.bed_type, 'available', p.available)
                        ORDER BY p.bed_type)
          FROM bed_pool p WHERE p.shelter_id = n.id AND p.bed_type = ANY (${types})) AS pools`;
}

const POINT = (p: SqlParams, location: { latitude: number; longitude: number }) =>
  `ST_SetSRID(ST_MakePoint(${p.add(location.longitude, 'float8')}, ${p.add(location.latitude, 'float8')}), 4326)::geography`;

/** A column name for an exclusion reason's count (reasons are upper-case identifiers). */
const countColumn = (reason: ExclusionReason) => `x_${reason.toLowerCase()}`;
/** A column name for the count of shelters that failed on this reason alone. */
const nearMissColumn = (reason: ExclusionReason) => `nm_${reason.toLowerCase()}`;

export interface SearchStatement {
  sql: string;
  params: unknown[];
  /**
   * The reasons whose counts the statement returns (in `x_<reason>` columns, and the shelters failing on that reason
   * alone in `nm_<reason>`); the others cannot apply.
   */
  reasons: ExclusionReason[];
}

interface StatementOptions {
  limit: number;
  first: number;
  now: Date;
  staleBefore: Date;
  skip?: readonly string[];
  /** Only shelters in these regions or below them (a coordinator's directory); null or absent: the network. */
  within?: readonly string[] | null;
}

/** The last examined shelter, in window order: where a walk further out starts. */
export interface WindowEnd {
  distance: number | null;
  id: string;
  /** Its verification time as Postgres prints it (microseconds; a JavaScript date would round them away). */
  verified: string;
}

/**
 * Shelters that share a (coarsened) public point are equally near; the window breaks such ties by id. The index
 * orders by distance alone, so the scan reads this many more than it keeps and sorts those by distance and id:
 * exact unless more than this many shelters tie at the window's edge.
 */
const TIE_MARGIN = 32;

/**
 * What both statements share: `n`, shelters in window order (nearest first through the GiST index, `<->` with a
 * limit, so the cost does not grow with the network; without a location, the most recently verified first; ties
 * by id), skipping `skip`, with `n.distance_m`; `r` its region; `c.open_now`; the hard rules (eligibility.ts,
 * `Rule.sql`) that can apply. `after`: only shelters past that point of the window order (a walk further out).
 */
function scan(needs: NeedsProfile, p: SqlParams, options: StatementOptions & { after?: WindowEnd }) {
  const types = p.add(fittingBedTypes(needs), 'bed_type[]');
  const now = p.add(options.now, 'timestamptz');
  const point = needs.location ? POINT(p, needs.location) : null;
  const radius = point && needs.radiusKm !== null ? p.add(needs.radiusKm * 1000, 'float8') : null;
  const distance = point ? `s.public_location <-> ${point}` : 'NULL::float8';
  const where: string[] = [];
  // the index's bounding box around the radius ends the scan where the radius ends (the distance test is exact)
  if (radius) where.push(`s.public_location && _ST_Expand(${point}, ${radius})`);
  if (options.skip?.length) where.push(`s.id <> ALL (${p.add(options.skip, 'uuid[]')})`);
  if (options.within) {
    where.push(`s.region_id IN (SELECT id FROM region WHERE path && ${p.add(options.within, 'uuid[]')})`);
  }
  const { after } = options;
  if (after) {
    const id = p.add(after.id, 'uuid');
    if (point) {
      const d = p.add(after.distance, 'float8');
      where.push(`(${distance} > ${d} OR (${distance} = ${d} AND s.id > ${id}))`);
    } else {
      const v = p.add(after.verified, 'timestamptz');
      where.push(`(s.availability_verified_at < ${v} OR (s.availability_verified_at = ${v} AND s.id > ${id}))`);
    }
  }
  const limit = p.add(options.limit, 'int');
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const window = !point
    ? `SELECT s.*, NULL::float8 AS distance_m FROM shelter s ${filter}
        ORDER BY s.availability_verified_at DESC, s.id LIMIT ${limit}`
    : after
      ? // a walk: in index order (ties at the far end are settled by the caller)
        `SELECT s.*, ${distance} AS distance_m FROM shelter s ${filter} ORDER BY ${distance} LIMIT ${limit}`
      : `SELECT * FROM (SELECT s.*, ${distance} AS distance_m FROM shelter s ${filter}
                         ORDER BY ${distance} LIMIT ${limit} + ${TIE_MARGIN}) k
          ORDER BY k.distance_m, k.id LIMIT ${limit}`;
  const from = `(${window}) n
    JOIN region r ON r.id = n.region_id
    CROSS JOIN LATERAL (${localClockSql(now)}) k
    CROSS JOIN LATERAL (SELECT ${acceptingIntakesSql({ weekday: 'k.weekday', minute: 'k.minute' })} AS open_now) o
    CROSS JOIN LATERAL (SELECT o.open_now,
                               ${minutesUntilIntakeSql({ weekday: 'k.weekday', minute: 'k.minute' }, 'o.open_now')}
                                 AS minutes_until_intake) c`;
  // the nearest `limit` within the radius are the nearest `limit` in its bounding box, cut at the radius: each
  // distance is measured once, by the scan
  const withinRadius = radius ? `n.distance_m <= ${radius}` : null;
  const rules = RULES.map((rule) => ({ reason: rule.reason, sql: rule.sql(needs, p) })).filter(
    (rule): rule is { reason: ExclusionReason; sql: string } => rule.sql !== null,
  );
  // the window's order over `n`, and its reverse
  const order = point ? 'n.distance_m, n.id' : 'n.availability_verified_at DESC, n.id';
  const reversed = point ? 'n.distance_m DESC, n.id DESC' : 'n.availability_verified_at, n.id DESC';
  return { types, from, withinRadius, rules, order, reversed };
}

/**
 * The search statement, one round trip. `judged`: the nearest `limit` shelters within the radius (see `scan`),
 * each with its fit (how many fitting pools; the best fitting type with a free bed) and one boolean per reason.
 * The answer is one row per match, best `first` by the rank key (ranking.ts, `rankOrderSql`), with full candidate
 * columns; every row (and the single row when nothing matched) carries the number examined, the count per
 * exclusion reason, the count of shelters failing on that reason alone, and the window's last shelter (`last_*`,
 * see `WindowEnd`).
 */
export function searchStatement(needs: NeedsProfile, options: StatementOptions): SearchStatement {
  const p = new SqlParams();
  const { types, from, withinRadius, rules, reversed } = scan(needs, p, options);
  const missingBed = missingBedReason(needs);
  const reasons = [...rules.map((r) => r.reason), missingBed, ExclusionReason.NO_AVAILABLE_BED];
  const ruleColumns = [
    ...rules.map((rule) => `coalesce((${rule.sql}), false) AS ${countColumn(rule.reason)}`),
    `fit.fitting = 0 AS ${countColumn(missingBed)}`,
    `fit.fitting > 0 AND fit.tier IS NULL AS ${countColumn(ExclusionReason.NO_AVAILABLE_BED)}`,
  ];
  const order = rankOrderSql(needs, p, options.now, options.staleBefore);
  const excluded = reasons.map(countColumn).join(' OR ');
  const sql = `
WITH judged AS (
  SELECT n.id, n.distance_m, n.availability_verified_at, ${ruleColumns.join(',\n         ')},
         row_number() OVER (ORDER BY ${order}) AS rank
    FROM ${from}
    CROSS JOIN LATERAL (
      SELECT count(*) AS fitting, min(array_position(${types}, p.bed_type) - 1) FILTER (WHERE p.available > 0) AS tier
        FROM bed_pool p
       WHERE p.shelter_id = n.id AND p.bed_type = ANY (${types})) fit
   ${withinRadius ? `WHERE ${withinRadius}` : ''}
),
matched AS (
  SELECT id, distance_m, rank FROM judged
   WHERE NOT (${excluded})
   ORDER BY rank
   LIMIT ${p.add(options.first, 'int')}
),
counts AS (
  SELECT count(*)::int AS examined, (count(*) FILTER (WHERE ${excluded}))::int AS excluded,
         ${reasons.map((r) => `(count(*) FILTER (WHERE ${countColumn(r)}))::int AS ${countColumn(r)}`).join(', ')},
         ${reasons.map((r) => `(count(*) FILTER (WHERE ${countColumn(r)} AND j.failures = 1))::int AS ${nearMissColumn(r)}`).join(', ')}
    FROM (SELECT judged.*, ${reasons.map((r) => `${countColumn(r)}::int`).join(' + ')} AS failures FROM judged) j
),
last AS (
  SELECT distance_m AS last_distance, id AS last_id, availability_verified_at::text AS last_verified
    FROM judged n ORDER BY ${reversed} LIMIT 1
)
SELECT counts.*, last.*, m.*
  FROM counts
  LEFT JOIN last ON true
  LEFT JOIN (SELECT x.rank, ${candidateColumns(types)}
               FROM matched x JOIN shelter n ON n.id = x.id JOIN region r ON r.id = n.region_id) m ON true
 ORDER BY m.rank`;
  return { sql, params: p.values, reasons };
}

/**
 * Further out, when the window held fewer than `first` matches: the shelters after `after` in window order, up to
 * `limit` × 9 of them, walked only until `first` + TIE_MARGIN match (the rules as filters, a free fitting bed
 * last), so a sparse search stays cheap; the caller keeps the first `first` in window order. Nothing is counted
 * here: exclusion counts describe the window.
 */
export function widerStatement(
  needs: NeedsProfile,
  options: StatementOptions & { after: WindowEnd },
): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const { types, from, withinRadius, rules, order } = scan(needs, p, { ...options, limit: options.limit * 9 });
  const filters = [
    ...(withinRadius ? [withinRadius] : []),
    ...rules.map((rule) => `NOT coalesce((${rule.sql}), false)`),
    `EXISTS (SELECT 1 FROM bed_pool p WHERE p.shelter_id = n.id AND p.bed_type = ANY (${types}) AND p.available > 0)`,
  ];
  // ordered as the scan reads, so the limit stops the walk at the first matches (a sort only if a plan loses it);
  // the id tie-break is spelt out in SQL only without a location (the index cannot order by distance and id)
  const sql = `
SELECT ${candidateColumns(types).replaceAll('x.distance_m', 'n.distance_m')}
  FROM ${from}
 WHERE ${filters.join('\n   AND ')}
 ORDER BY ${needs.location ? 'n.distance_m' : order}
 LIMIT ${p.add(options.first + TIE_MARGIN, 'int')}`;
  return { sql, params: p.values };
}

@Injectable()
export class BedSearchService {
  private readonly logger = new Logger(BedSearchService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** A person's search (`searchBeds`): within their directory (`directoryScope`: a coordinator's regions). */
  searchFor(actor: Actor, needs: NeedsProfile, first: number): Promise<BedSearchResult> {
    return this.search(needs, first, new Date(), [], directoryScope(actor));
  }

  /**
   * `skipShelterIds`: shelters that already declined or let this referral time out; they are not examined.
   * `within`: only shelters in these regions or below (see `searchFor`). The survivor's location is coarsened first
   * (to the shelters' 1 km grid), whoever calls.
   */
  async search(
    precise: NeedsProfile,
    first: number,
    now = new Date(),
    skipShelterIds: readonly string[] = [],
    within: readonly string[] | null = null,
  ): Promise<BedSearchResult> {
    const needs = coarsenNeeds(precise);
    const staleBefore = new Date(now.getTime() - this.config.env.STALE_AFTER_MINUTES * 60_000);
    const options = {
      limit: this.config.env.SEARCH_CANDIDATE_LIMIT,
      first,
      now,
      staleBefore,
      skip: skipShelterIds,
      within,
    };
    const statement = searchStatement(needs, options);
    const rows = await this.db.query<(Row & Record<string, number>)[]>(statement.sql, statement.params);
    const exclusions = new Map<ExclusionReason, number>();
    const nearMisses = new Map<ExclusionReason, number>();
    for (const reason of statement.reasons) {
      const count = rows[0][countColumn(reason)];
      if (count > 0) exclusions.set(reason, count);
      const alone = rows[0][nearMissColumn(reason)];
      if (alone > 0) nearMisses.set(reason, alone);
    }
    const { examined, excluded, last_distance, last_id, last_verified } = rows[0] as unknown as WindowEndRow;
    const found: Row[] = rows.filter((row) => row.id !== null);
    // too few matches among the nearest shelters: look further out
    if (found.length < first && examined >= options.limit) {
      const after = { distance: last_distance, id: last_id, verified: last_verified };
      const wider = widerStatement(needs, { ...options, after });
      const further = await this.db.query<Row[]>(wider.sql, wider.params);
      // equally distant shelters come in index order: settle them by id, as the window does
      if (needs.location) further.sort((a, b) => a.distance_m! - b.distance_m! || (a.id < b.id ? -1 : 1));
      found.push(...further.slice(0, first));
    }
    const matches = this.rank(needs, found, now, staleBefore);
    return { matches: matches.slice(0, first), examined, excluded, exclusions, nearMisses };
  }

  /** One shelter as a search candidate with all its pools, to test waitlisted needs against it. */
  async candidate(shelterId: string, now = new Date()): Promise<SearchCandidate | null> {
    const rows: Row[] = await this.db.query(
      `SELECT ${candidateColumns('$2::bed_type[]')}
         FROM (SELECT $1::uuid AS id, NULL::float8 AS distance_m) x
         JOIN shelter n ON n.id = x.id JOIN region r ON r.id = n.region_id`,
      [shelterId, Object.values(BedType)],
    );
    return rows[0] ? toCandidate(rows[0], now) : null;
  }

  /** Candidates ranked; eligibility.ts has the last word: a row the SQL let through that it excludes is dropped. */
  private rank(needs: NeedsProfile, rows: Row[], now: Date, staleBefore: Date): BedSearchResult['matches'] {
    const matches: BedSearchResult['matches'] = [];
    for (const row of rows) {
      const candidate = toCandidate(row, now);
      const { reasons, pool } = evaluate(needs, candidate);
      if (!pool) {
        this.logger.warn(
          { shelterId: row.id, reasons },
          'search: the SQL rules let through a shelter eligibility.ts excludes',
        );
        continue;
      }
      const stale = candidate.availabilityVerifiedAt < staleBefore;
      matches.push({
        candidate,
        pool,
        stale,
        distanceKm: candidate.distanceMeters === null ? null : Math.round(candidate.distanceMeters / 1000),
        key: rankKey(needs, candidate, pool.fitTier, stale, now),
      });
    }
    return matches.sort((a, b) => compareRankKeys(a.key, b.key));
  }
}

interface WindowEndRow {
  examined: number;
  excluded: number;
  last_distance: number | null;
  last_id: string;
  last_verified: string;
}

function toCandidate(row: Row, now: Date): SearchCandidate {
  const hours: IntakeHours = {
    alwaysOpen: row.intake_always_open,
    days: row.intake_days,
    opens: row.intake_opens,
    closes: row.intake_closes,
    timeZone: row.time_zone,
  };
  const active = row.status === ShelterStatus.ACTIVE;
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
    acceptingIntakesNow: active && acceptsIntakeAt(hours, now),
    minutesUntilIntake: active ? minutesUntilIntake(hours, now) : null,
    eligibility: row.e,
    pools: row.pools ?? [],
    distanceMeters: row.distance_m,
    availabilityVerifiedAt: row.availability_verified_at,
  };
}
