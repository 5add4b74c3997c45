import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, notFound } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { acceptingIntakesSql, BedType, localClockSql, ShelterStatus } from '@shelterlink/shelters';
import { Answer, RegionCapacityCache } from './region-capacity-cache';
import { monitoringScope } from './region-scope';

export interface BedCounts {
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  /** Free beds at shelters taking referrals: never those of paused shelters. */
  available: number;
  /**
   * Free beds at paused shelters: nobody can be placed there until the shelter resumes. Null in occupancy history,
   * which does not record past pauses (its `available` is every free bed).
   */
  availableAtPausedShelters: number | null;
}

/** A paused shelter takes nobody: its free beds count apart, never as available (reports and exports alike). */
export function availableApart(
  status: ShelterStatus | `${ShelterStatus}`,
  available: number,
): { available: number; availableAtPausedShelters: number } {
  return status === ShelterStatus.PAUSED
    ? { available: 0, availableAtPausedShelters: available }
    : { available, availableAtPausedShelters: 0 };
}

export interface RegionCapacity {
  regionId: string;
  regionName: string;
  /** Regular beds (every type but emergency overflow), per type and in total. */
  byType: (BedCounts & { bedType: BedType })[];
  beds: BedCounts;
  /** Surge capacity: emergency overflow beds, counted apart from the regular beds. */
  surge: BedCounts;
  shelters: number;
  pausedShelters: number;
  sheltersTakingIntakesNow: number;
  /** Shelters whose counts were not verified within STALE_AFTER_MINUTES. */
  staleShelters: number;
  asOf: Date;
}

const REGULAR_TYPES = Object.values(BedType).filter((t) => t !== BedType.EMERGENCY_OVERFLOW);

const zero = (): BedCounts => ({
  capacity: 0,
  occupied: 0,
  held: 0,
  outOfService: 0,
  available: 0,
  availableAtPausedShelters: 0,
});

function add(into: BedCounts, counts: BedCounts): void {
  into.capacity += counts.capacity;
  into.occupied += counts.occupied;
  into.held += counts.held;
  into.outOfService += counts.outOfService;
  into.available += counts.available;
  into.availableAtPausedShelters = (into.availableAtPausedShelters ?? 0) + (counts.availableAtPausedShelters ?? 0);
}

/**
 * The SUM … GROUP BY behind `regionCapacity`: every pool of every shelter in the region or below it (the region
 * path's GIN index), per bed type, free beds of paused shelters apart (`availableApart`). $1 is the region.
 * Exported for the benchmark's raw baseline.
 */
export const CAPACITY_SQL = `
SELECT p.bed_type, sum(p.capacity)::int AS capacity, sum(p.occupied)::int AS occupied, sum(p.held)::int AS held,
       sum(p.out_of_service)::int AS out_of_service,
       coalesce(sum(p.available) FILTER (WHERE s.status <> '${ShelterStatus.PAUSED}'), 0)::int AS available,
       coalesce(sum(p.available) FILTER (WHERE s.status = '${ShelterStatus.PAUSED}'), 0)::int AS available_at_paused
  FROM region r
  JOIN shelter s ON s.region_id = r.id
  JOIN bed_pool p ON p.shelter_id = s.id
 WHERE r.path @> ARRAY[$1::uuid]
 GROUP BY p.bed_type`;

/**
 * One round trip: the region (with its path, for the caller's access check), the pools as above, and its
 * shelters: how many, paused, taking intakes now ($2; each zone's local time worked out once), with counts older
 * than $3. No row when the region is not found.
 */
const REGION_CAPACITY_SQL = `
WITH target AS (SELECT id, name, path FROM region WHERE id = $1),
pools AS (${CAPACITY_SQL}),
clocks AS (
  SELECT z.time_zone, k.weekday, k.minute
    FROM (SELECT DISTINCT n.time_zone FROM region r JOIN shelter n ON n.region_id = r.id
           WHERE r.path @> ARRAY[$1::uuid]) z
   CROSS JOIN LATERAL (${localClockSql('$2::timestamptz', 'z.time_zone')}) k
),
shelters AS (
  SELECT count(*)::int AS shelters,
         (count(*) FILTER (WHERE n.status = 'PAUSED'))::int AS paused,
         (count(*) FILTER (WHERE ${acceptingIntakesSql({ weekday: 'z.weekday', minute: 'z.minute' })}))::int AS taking_intakes,
         (count(*) FILTER (WHERE n.availability_verified_at < $3::timestamptz))::int AS stale
    FROM region r
    JOIN shelter n ON n.region_id = r.id
    JOIN clocks z ON z.time_zone = n.time_zone
   WHERE r.path @> ARRAY[$1::uuid]
)
SELECT t.id, t.name, t.path, s.*, (SELECT json_agg(pools) FROM pools) AS pools
  FROM target t CROSS JOIN shelters s`;

interface CapacityRow {
  id: string;
  name: string;
  path: string[];
  shelters: number;
  paused: number;
  taking_intakes: number;
  stale: number;
  pools:
    | {
        bed_type: BedType;
        capacity: number;
        occupied: number;
        held: number;
        out_of_service: number;
        available: number;
        available_at_paused: number;
      }[]
    | null;
}

@Injectable()
export class CapacityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly cache: RegionCapacityCache,
  ) {}

  /**
   * Beds and shelters in a region and every region below it. Coordinators see their own regions (and below);
   * admins any; other roles are refused. A region outside a coordinator's scope is not found. A recent answer is
   * reused until a count in the region changes (RegionCapacityCache), unless `fresh` is asked for or `now` given.
   */
  async regionCapacity(
    actor: Actor,
    regionId: string,
    options: { now?: Date; fresh?: boolean } = {},
  ): Promise<RegionCapacity> {
    const scope = monitoringScope(actor);
    const compute = () => this.compute(regionId, options.now ?? new Date());
    const { value, path } = options.now || options.fresh ? await compute() : await this.cache.answer(regionId, compute);
    // worked out for anyone (and maybe shared), so the caller's scope is checked here, on every answer
    if (scope && !path.some((id) => scope.includes(id))) throw notFound('Region');
    return value;
  }

  private async compute(regionId: string, now: Date): Promise<Answer> {
    const staleBefore = new Date(now.getTime() - this.config.env.STALE_AFTER_MINUTES * 60_000);
    const [row] = await this.db.query<CapacityRow[]>(REGION_CAPACITY_SQL, [regionId, now, staleBefore]);
    if (!row) throw notFound('Region');
    const byType = new Map(
      (row.pools ?? []).map((p) => [
        p.bed_type,
        {
          capacity: p.capacity,
          occupied: p.occupied,
          held: p.held,
          outOfService: p.out_of_service,
          available: p.available,
          availableAtPausedShelters: p.available_at_paused,
        },
      ]),
    );
    const beds = zero();
    for (const type of REGULAR_TYPES) add(beds, byType.get(type) ?? zero());
    const capacity: RegionCapacity = {
      regionId: row.id,
      regionName: row.name,
      byType: REGULAR_TYPES.map((bedType) => ({ bedType, ...(byType.get(bedType) ?? zero()) })),
      beds,
      surge: byType.get(BedType.EMERGENCY_OVERFLOW) ?? zero(),
      shelters: row.shelters,
      pausedShelters: row.paused,
      sheltersTakingIntakesNow: row.taking_intakes,
      staleShelters: row.stale,
      asOf: now,
    };
    return { value: capacity, path: row.path };
  }
}
