import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertRole, RegionsService } from '@shelterlink/accounts';
import { Actor, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { acceptingIntakesSql, BedType } from '@shelterlink/shelters';

export interface BedCounts {
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  available: number;
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

const zero = (): BedCounts => ({ capacity: 0, occupied: 0, held: 0, outOfService: 0, available: 0 });

function add(into: BedCounts, counts: BedCounts): void {
  into.capacity += counts.capacity;
  into.occupied += counts.occupied;
  into.held += counts.held;
  into.outOfService += counts.outOfService;
  into.available += counts.available;
}

/**
 * The SUM … GROUP BY behind `regionCapacity`: every pool of every shelter in the region or below it (the region
 * path's GIN index), per bed type. $1 is the region. Exported for the benchmark's raw baseline.
 */
export const CAPACITY_SQL = `
SELECT p.bed_type, sum(p.capacity)::int AS capacity, sum(p.occupied)::int AS occupied, sum(p.held)::int AS held,
       sum(p.out_of_service)::int AS out_of_service, sum(p.available)::int AS available
  FROM region r
  JOIN shelter s ON s.region_id = r.id
  JOIN bed_pool p ON p.shelter_id = s.id
 WHERE r.path @> ARRAY[$1::uuid]
 GROUP BY p.bed_type`;

/** The shelters of the region and below: how many, paused, taking intakes now ($2), with stale counts ($3). */
const SHELTERS_SQL = `
SELECT count(*)::int AS shelters,
       (count(*) FILTER (WHERE n.status = 'PAUSED'))::int AS paused,
       (count(*) FILTER (WHERE ${acceptingIntakesSql('$2::timestamptz')}))::int AS taking_intakes,
       (count(*) FILTER (WHERE n.availability_verified_at < $3::timestamptz))::int AS stale
  FROM region r
  JOIN shelter n ON n.region_id = r.id
 WHERE r.path @> ARRAY[$1::uuid]`;

@Injectable()
export class CapacityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Beds and shelters in a region and every region below it. Coordinators see their own regions (and below);
   * admins any; other roles are refused. A region outside a coordinator's scope is not found.
   */
  async regionCapacity(actor: Actor, regionId: string, now = new Date()): Promise<RegionCapacity> {
    assertRole(actor, Role.REGIONAL_COORDINATOR, Role.ADMIN);
    const region = await this.regions.getVisible(actor, regionId);
    const staleBefore = new Date(now.getTime() - this.config.env.STALE_AFTER_MINUTES * 60_000);
    const [pools, [shelters]] = await Promise.all([
      this.db.query<
        {
          bed_type: BedType;
          capacity: number;
          occupied: number;
          held: number;
          out_of_service: number;
          available: number;
        }[]
      >(CAPACITY_SQL, [region.id]),
      this.db.query<{ shelters: number; paused: number; taking_intakes: number; stale: number }[]>(SHELTERS_SQL, [
        region.id,
        now,
        staleBefore,
      ]),
    ]);
    const byType = new Map(
      pools.map((p) => [
        p.bed_type,
        {
          capacity: p.capacity,
          occupied: p.occupied,
          held: p.held,
          outOfService: p.out_of_service,
          available: p.available,
        },
      ]),
    );
    const beds = zero();
    for (const type of REGULAR_TYPES) add(beds, byType.get(type) ?? zero());
    return {
      regionId: region.id,
      regionName: region.name,
      byType: REGULAR_TYPES.map((bedType) => ({ bedType, ...(byType.get(bedType) ?? zero()) })),
      beds,
      surge: byType.get(BedType.EMERGENCY_OVERFLOW) ?? zero(),
      shelters: shelters.shelters,
      pausedShelters: shelters.paused,
      sheltersTakingIntakesNow: shelters.taking_intakes,
      staleShelters: shelters.stale,
      asOf: now,
    };
  }
}
