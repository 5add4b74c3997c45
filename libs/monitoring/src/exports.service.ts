import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, notFound } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { BedType, directoryScope, eligibilityColumn } from '@shelterlink/shelters';
import { availableApart } from './capacity.service';
import { visibleRegion } from './region-scope';

/** One bed pool of one shelter, with the shelter's public fields only: no address, no phone, no eligibility. */
export interface PoolSnapshot {
  shelterId: string;
  shelterName: string;
  organisationId: string;
  organisationName: string;
  regionCode: string;
  regionName: string;
  city: string;
  status: 'ACTIVE' | 'PAUSED';
  poolId: string;
  bedType: BedType;
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  /** Free beds, 0 at a paused shelter (whose free beds are in `availableAtPausedShelters`). */
  available: number;
  availableAtPausedShelters: number;
  /** Whether the shelter serves only people under 18 (HMIS: households with only children). */
  minorsOnly: boolean;
  poolCreatedAt: Date;
  poolUpdatedAt: Date;
  verifiedAt: Date;
  stale: boolean;
}

/** A shelter as the public directory shows it. Address and phone only for shelters that are not confidential. */
export interface DirectoryEntry {
  shelterId: string;
  shelterName: string;
  organisationId: string;
  organisationName: string;
  city: string;
  status: 'ACTIVE' | 'PAUSED';
  latitude: number;
  longitude: number;
  address: string | null;
  phone: string | null;
  languages: string[];
  minAge: number;
  maxAge: number;
  verifiedAt: Date;
  /** `available`: 0 at a paused shelter, which takes nobody. */
  pools: { id: string; bedType: BedType; capacity: number; available: number }[];
}

/**
 * Every pool of every shelter in the region $1 and below. Address, phone and anything about referrals are not
 * selected at all, so they cannot reach an export by mistake.
 */
const POOLS_SQL = `
SELECT s.id AS shelter_id, s.name AS shelter_name, o.id AS organisation_id, o.name AS organisation_name,
       g.code AS region_code, g.name AS region_name, s.city, s.status, p.id AS pool_id, p.bed_type, p.capacity,
       p.occupied, p.held, p.out_of_service, p.available, ${eligibilityColumn('maxAge', 's')} < 18 AS minors_only,
       p.created_at AS pool_created_at, p.updated_at AS pool_updated_at, s.availability_verified_at AS verified_at,
       s.availability_verified_at < $2 AS stale
  FROM region g
  JOIN shelter s ON s.region_id = g.id
  JOIN organisation o ON o.id = s.organisation_id
  JOIN bed_pool p ON p.shelter_id = s.id
 WHERE g.path @> ARRAY[$1::uuid]
 ORDER BY g.code, s.name, s.id, p.bed_type`;

/** The public directory of the region $1 and below (every region when null), coarse location only; a page of it. */
const DIRECTORY_SQL = `
SELECT s.id AS shelter_id, s.name AS shelter_name, o.id AS organisation_id, o.name AS organisation_name, s.city,
       s.status, ST_Y(s.public_location::geometry) AS latitude, ST_X(s.public_location::geometry) AS longitude,
       CASE WHEN s.location_confidential THEN NULL ELSE s.address END AS address,
       CASE WHEN s.location_confidential THEN NULL ELSE s.intake_phone END AS phone,
       ${eligibilityColumn('languages', 's')} AS languages, ${eligibilityColumn('minAge', 's')} AS min_age,
       ${eligibilityColumn('maxAge', 's')} AS max_age,
       s.availability_verified_at AS verified_at, (count(*) OVER ())::int AS total,
       coalesce((SELECT json_agg(json_build_object('id', p.id, 'bedType', p.bed_type, 'capacity', p.capacity,
                                                   'available', p.available)
                                 ORDER BY p.bed_type)
                   FROM bed_pool p WHERE p.shelter_id = s.id), '[]') AS pools
  FROM shelter s
  JOIN region g ON g.id = s.region_id
  JOIN organisation o ON o.id = s.organisation_id
 WHERE ($1::uuid IS NULL OR g.path @> ARRAY[$1::uuid]) AND ($4::uuid[] IS NULL OR g.path && $4::uuid[])
 ORDER BY s.name, s.id
 LIMIT $2 OFFSET $3`;

interface PoolRow {
  shelter_id: string;
  shelter_name: string;
  organisation_id: string;
  organisation_name: string;
  region_code: string;
  region_name: string;
  city: string;
  status: 'ACTIVE' | 'PAUSED';
  pool_id: string;
  bed_type: BedType;
  capacity: number;
  occupied: number;
  held: number;
  out_of_service: number;
  available: number;
  minors_only: boolean;
  pool_created_at: Date;
  pool_updated_at: Date;
  verified_at: Date;
  stale: boolean;
}

interface DirectoryRow {
  shelter_id: string;
  shelter_name: string;
  organisation_id: string;
  organisation_name: string;
  city: string;
  status: 'ACTIVE' | 'PAUSED';
  latitude: number;
  longitude: number;
  address: string | null;
  phone: string | null;
  languages: string[];
  min_age: number;
  max_age: number;
  verified_at: Date;
  pools: { id: string; bedType: BedType; capacity: number; available: number }[];
}

/** The data behind the HTTP exports; formats are in export-formats.ts. */
@Injectable()
export class ExportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Bed pools of a region and below: for coordinators (their regions) and admins, like regionCapacity. */
  async pools(
    actor: Actor,
    regionId: string,
    now = new Date(),
  ): Promise<{ regionName: string; pools: PoolSnapshot[] }> {
    const region = await visibleRegion(this.db, actor, regionId);
    const staleBefore = new Date(now.getTime() - this.config.env.STALE_AFTER_MINUTES * 60_000);
    const rows = await this.db.query<PoolRow[]>(POOLS_SQL, [region.id, staleBefore]);
    return {
      regionName: region.name,
      pools: rows.map((r) => ({
        ...availableApart(r.status, r.available),
        shelterId: r.shelter_id,
        shelterName: r.shelter_name,
        organisationId: r.organisation_id,
        organisationName: r.organisation_name,
        regionCode: r.region_code,
        regionName: r.region_name,
        city: r.city,
        status: r.status,
        poolId: r.pool_id,
        bedType: r.bed_type,
        capacity: r.capacity,
        occupied: r.occupied,
        held: r.held,
        outOfService: r.out_of_service,
        minorsOnly: r.minors_only,
        poolCreatedAt: new Date(r.pool_created_at),
        poolUpdatedAt: new Date(r.pool_updated_at),
        verifiedAt: new Date(r.verified_at),
        stale: r.stale,
      })),
    };
  }

  /**
   * The public shelter directory of the caller (as `shelters`: a coordinator's holds the shelters of their regions,
   * and a region outside them is not found): the region and below, or all of it, a page at a time (1-based).
   * Confidential shelters appear without address or phone, whoever asks; counts are capacity and free beds only.
   */
  async directory(
    actor: Actor,
    regionId: string | null,
    page: { number: number; size: number },
  ): Promise<{ total: number; entries: DirectoryEntry[] }> {
    const scope = directoryScope(actor);
    if (regionId) {
      const [region] = await this.db.query<unknown[]>(
        `SELECT 1 FROM region WHERE id = $1 AND ($2::uuid[] IS NULL OR path && $2::uuid[])`,
        [regionId, scope],
      );
      if (!region) throw notFound('Region');
    }
    const rows = await this.db.query<(DirectoryRow & { total: number })[]>(DIRECTORY_SQL, [
      regionId,
      page.size,
      (page.number - 1) * page.size,
      scope,
    ]);
    const [{ total }] = rows.length
      ? rows
      : await this.db.query<{ total: number }[]>(
          `SELECT count(*)::int AS total FROM shelter s JOIN region g ON g.id = s.region_id
            WHERE ($1::uuid IS NULL OR g.path @> ARRAY[$1::uuid]) AND ($2::uuid[] IS NULL OR g.path && $2::uuid[])`,
          [regionId, scope],
        );
    const entries = rows.map((r) => ({
      shelterId: r.shelter_id,
      shelterName: r.shelter_name,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      city: r.city,
      status: r.status,
      latitude: r.latitude,
      longitude: r.longitude,
      address: r.address,
      phone: r.phone,
      languages: r.languages,
      minAge: r.min_age,
      maxAge: r.max_age,
      verifiedAt: new Date(r.verified_at),
      pools: r.pools.map((p) => ({ ...p, available: availableApart(r.status, p.available).available })),
    }));
    return { total, entries };
  }
}
