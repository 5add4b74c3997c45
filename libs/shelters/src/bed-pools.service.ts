import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource, EntityManager } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import { AppConfig } from '@shelterlink/config';
import { Actor, badInput, DomainError, notFound, Role } from '@shelterlink/common';
import { PG_CHECK_VIOLATION, pgErrorCode, queryRows } from '@shelterlink/database';
import { CapacitySignal, OutboxService, PUB_SUB, Topics } from '@shelterlink/queue';
import { BedPoolEntity } from './entities/bed-pool.entity';
import { seesBedBreakdown } from './shelter-view';
import { BedType } from './vocabulary';

export interface PoolCounts {
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  available: number;
  version: number;
}

/** What is published for every live subscriber of a region (through Redis): counts, no survivor data. */
export interface BedAvailabilityChange extends PoolCounts {
  shelterId: string;
  /** The shelter's provider: its staff see the breakdown. */
  organisationId: string;
  regionId: string;
  /** The region and every region above it (each hears the change). */
  regionPath: string[];
  poolId: string;
  bedType: BedType;
  availabilityVerifiedAt: Date;
  /**
   * Only the breakdown changed (a held bed became occupied at intake): capacity, free beds and verification time are
   * as they were, so callers who see no breakdown are not told (the event alone would say a survivor arrived).
   */
  breakdownOnly: boolean;
}

/** A pool's counts as one caller sees them: the breakdown is null unless `seesBedBreakdown`. */
export interface BedPoolView {
  id: string;
  shelterId: string;
  bedType: BedType;
  capacity: number;
  available: number;
  occupied: number | null;
  held: number | null;
  outOfService: number | null;
  version: number | null;
  updatedAt: Date | null;
}

/** A change as one subscriber receives it: the breakdown as `seesBedBreakdown` allows. */
export type BedAvailabilityView = Omit<BedAvailabilityChange, keyof PoolCounts | 'breakdownOnly'> &
  Pick<BedPoolView, 'capacity' | 'available' | 'occupied' | 'held' | 'outOfService' | 'version'>;

/**
 * A published change as `actor` may receive it, or null when it is not for them (a breakdown-only change, to a
 * caller who sees no breakdown). Who may subscribe to the region at all is checked when they subscribe.
 */
export function availabilityChangeFor(actor: Actor | null, change: BedAvailabilityChange): BedAvailabilityView | null {
  const { breakdownOnly, ...rest } = change;
  if (seesBedBreakdown(actor, change)) return rest;
  if (breakdownOnly) return null;
  return { ...rest, occupied: null, held: null, outOfService: null, version: null };
}

export enum CapacityEventKind {
  POOL_CREATED = 'POOL_CREATED',
  CAPACITY_SET = 'CAPACITY_SET',
  ADJUSTED = 'ADJUSTED',
  COUNTS_SET = 'COUNTS_SET',
  CONFIRMED = 'CONFIRMED',
  HOLD = 'HOLD',
  HOLD_RELEASED = 'HOLD_RELEASED',
  INTAKE = 'INTAKE',
  EXIT = 'EXIT',
}

/** A pool after a change, with what live subscribers need; publish it with `publish` after the commit. */
export interface PoolChange {
  pool: PoolRow;
  verifiedAt: Date;
  /** See BedAvailabilityChange.breakdownOnly. */
  breakdownOnly?: boolean;
}

export interface PoolRow {
  id: string;
  shelter_id: string;
  bed_type: BedType;
  capacity: number;
  occupied: number;
  held: number;
  out_of_service: number;
  available: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  organisation_id: string;
  region_id: string;
  region_path: string[];
}

type ShelterOfPool = Pick<PoolRow, 'organisation_id' | 'region_id' | 'region_path'> & {
  availability_verified_at: Date;
};

const POOL_COLUMNS = `p.id, p.shelter_id, p.bed_type, p.capacity, p.occupied, p.held, p.out_of_service, p.available,
  p.version, p.created_at, p.updated_at`;

/**
 * Every count change is one transaction: lock the pool (scoped to the caller's organisation), apply a guarded
 * UPDATE (the CHECK constraints refuse negative or over-capacity counts), append a capacity event, mark the
 * shelter's counts verified; after commit, publish the new counts to the shelter's region and its ancestors.
 */
@Injectable()
export class BedPoolsService {
  private readonly logger = new Logger(BedPoolsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly signal: CapacitySignal,
  ) {}

  /** The pools of these shelters as `actor` sees them (`seesBedBreakdown`), by bed type. */
  async forShelters(actor: Actor | null, shelterIds: readonly string[]): Promise<BedPoolView[]> {
    const rows = await this.db.query<PoolRow[]>(
      `SELECT ${POOL_COLUMNS}, s.organisation_id, s.region_id, r.path AS region_path
         FROM bed_pool p JOIN shelter s ON s.id = p.shelter_id JOIN region r ON r.id = s.region_id
        WHERE p.shelter_id = ANY($1::uuid[]) ORDER BY p.bed_type`,
      [shelterIds],
    );
    return rows.map((row) => {
      const pool = toEntity(row);
      const { createdAt: _created, ...view } = pool;
      if (seesBedBreakdown(actor, { organisationId: row.organisation_id, regionPath: row.region_path })) return view;
      return { ...view, occupied: null, held: null, outOfService: null, version: null, updatedAt: null };
    });
  }

  async upsert(actor: Actor, shelterId: string, bedType: BedType, capacity: number, reason?: string | null) {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.change(actor, async (tx) => {
      const [shelter] = await tx.query<{ id: string }[]>(
        `SELECT s.id FROM shelter s WHERE s.id = $1 AND s.organisation_id = $2 FOR UPDATE`,
        [shelterId, actor.organisationId],
      );
      if (!shelter) throw notFound('Shelter');
      const [before] = await tx.query<PoolRow[]>(
        `SELECT ${POOL_COLUMNS} FROM bed_pool p WHERE p.shelter_id = $1 AND p.bed_type = $2 FOR UPDATE`,
        [shelterId, bedType],
      );
      const [after] = await tx.query<PoolRow[]>(
        `INSERT INTO bed_pool AS p (shelter_id, bed_type, capacity) VALUES ($1, $2, $3)
         ON CONFLICT (shelter_id, bed_type)
         DO UPDATE SET capacity = EXCLUDED.capacity, version = p.version + 1, updated_at = now()
         RETURNING ${POOL_COLUMNS}`,
        [shelterId, bedType, capacity],
      );
      const kind = before ? CapacityEventKind.CAPACITY_SET : CapacityEventKind.POOL_CREATED;
      return { before: before ?? null, after, kind, reason };
    });
  }

  /** `madeAt`: when staff made the change, if earlier than now (a change queued offline); see checkMadeAt. */
  async adjust(
    actor: Actor,
    poolId: string,
    occupiedDelta: number,
    outOfServiceDelta: number,
    reason?: string | null,
    madeAt?: Date | null,
  ) {
    assertRole(actor, Role.SHELTER_STAFF);
    if (occupiedDelta === 0 && outOfServiceDelta === 0) {
      throw badInput('occupiedDelta', 'at least one delta must be non-zero');
    }
    return this.change(
      actor,
      async (tx) => {
        await checkMadeAt(tx, madeAt, this.config.env.OFFLINE_CHANGE_MAX_HOURS);
        const before = await this.lockOwnPool(tx, actor, poolId);
        const [after] = await queryRows<PoolRow>(
          tx,
          `UPDATE bed_pool p SET occupied = occupied + $2, out_of_service = out_of_service + $3,
                version = version + 1, updated_at = now()
          WHERE p.id = $1 RETURNING ${POOL_COLUMNS}`,
          [poolId, occupiedDelta, outOfServiceDelta],
        );
        return { before, after, kind: CapacityEventKind.ADJUSTED, reason, madeAt };
      },
      poolId,
    );
  }

  async setCounts(
    actor: Actor,
    poolId: string,
    counts: { capacity?: number | null; occupied: number; outOfService: number },
    expectedVersion: number,
    reason?: string | null,
    madeAt?: Date | null,
  ) {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.change(
      actor,
      async (tx) => {
        await checkMadeAt(tx, madeAt, this.config.env.OFFLINE_CHANGE_MAX_HOURS);
        const before = await this.lockOwnPool(tx, actor, poolId);
        if (before.version !== expectedVersion) {
          throw new DomainError(
            'VERSION_CONFLICT',
            'The counts changed since you read them; review the current counts',
            {
              current: toCounts(before),
            },
          );
        }
        const [after] = await queryRows<PoolRow>(
          tx,
          `UPDATE bed_pool p SET capacity = COALESCE($2, capacity), occupied = $3, out_of_service = $4,
                version = version + 1, updated_at = now()
          WHERE p.id = $1 AND p.version = $5 RETURNING ${POOL_COLUMNS}`,
          [poolId, counts.capacity ?? null, counts.occupied, counts.outOfService, expectedVersion],
        );
        return { before, after, kind: CapacityEventKind.COUNTS_SET, reason, madeAt };
      },
      poolId,
    );
  }

  /** Marks the shelter's counts verified now, changing no count; one CONFIRMED event per pool. */
  async confirm(actor: Actor, shelterId: string): Promise<{ shelterId: string; availabilityVerifiedAt: Date }> {
    assertRole(actor, Role.SHELTER_STAFF);
    const changes = await this.db.transaction(async (tx) => {
      const [shelter] = await queryRows<{ id: string; region_id: string; availability_verified_at: Date }>(
        tx,
        `UPDATE shelter SET availability_verified_at = now() WHERE id = $1 AND organisation_id = $2
         RETURNING id, region_id, availability_verified_at`,
        [shelterId, actor.organisationId],
      );
      if (!shelter) throw notFound('Shelter');
      const pools = await tx.query<PoolRow[]>(
        `SELECT ${POOL_COLUMNS}, s.organisation_id, s.region_id, r.path AS region_path
           FROM bed_pool p JOIN shelter s ON s.id = p.shelter_id JOIN region r ON r.id = s.region_id
          WHERE p.shelter_id = $1 ORDER BY p.bed_type`,
        [shelterId],
      );
      for (const pool of pools) await this.recordEvent(tx, actor.userId, CapacityEventKind.CONFIRMED, pool, pool, null);
      return { shelter, pools };
    });
    for (const pool of changes.pools)
      await this.publish({ pool, verifiedAt: changes.shelter.availability_verified_at });
    return { shelterId, availabilityVerifiedAt: changes.shelter.availability_verified_at };
  }

  private async lockOwnPool(tx: EntityManager, actor: Actor, poolId: string): Promise<PoolRow> {
    const [pool] = await tx.query<PoolRow[]>(
      `SELECT ${POOL_COLUMNS} FROM bed_pool p JOIN shelter s ON s.id = p.shelter_id
        WHERE p.id = $1 AND s.organisation_id = $2 FOR UPDATE OF p`,
      [poolId, actor.organisationId],
    );
    if (!pool) throw notFound('Bed pool');
    return pool;
  }

  private async change(
    actor: Actor,
    apply: (tx: EntityManager) => Promise<{
      before: PoolRow | null;
      after: PoolRow;
      kind: CapacityEventKind;
      reason?: string | null;
      madeAt?: Date | null;
    }>,
    poolId?: string,
  ): Promise<BedPoolEntity> {
    let result: PoolChange & { outbox: string[] };
    try {
      result = await this.db.transaction(async (tx) => {
        const { before, after, kind, reason, madeAt } = await apply(tx);
        await this.recordEvent(tx, actor.userId, kind, before, after, reason ?? null, madeAt ?? null);
        const outbox = await this.afterChange(tx, before, after);
        // staff touched the counts: they are verified now
        const [shelter] = await queryRows<ShelterOfPool>(
          tx,
          `UPDATE shelter s SET availability_verified_at = now() FROM region r
            WHERE s.id = $1 AND r.id = s.region_id
            RETURNING s.organisation_id, s.region_id, r.path AS region_path, s.availability_verified_at`,
          [after.shelter_id],
        );
        return { pool: { ...after, ...shelter }, verifiedAt: shelter.availability_verified_at, outbox };
      });
    } catch (error) {
      if (pgErrorCode(error) === PG_CHECK_VIOLATION) throw await this.capacityConflict(poolId);
      throw error;
    }
    // announced first: caches forget the old counts before anything else happens
    await this.publish(result);
    await this.outbox.relay(result.outbox);
    // this transaction's own result: a re-read could already show a later concurrent change
    return toEntity(result.pool);
  }

  /**
   * A change made by the referral workflow inside its own transaction (hold, release, intake, exit). With
   * `onlyIfFree`, the change applies only while a bed is available and returns null otherwise: this guarded
   * UPDATE is what makes a bed impossible to promise twice. Outbox ids to relay after the commit are returned.
   */
  async workflowChange(
    tx: EntityManager,
    poolId: string,
    deltas: { held: number; occupied: number },
    kind: CapacityEventKind,
    actorId: string | null,
    onlyIfFree = false,
  ): Promise<(PoolChange & { outbox: string[] }) | null> {
    const [before] = await tx.query<PoolRow[]>(`SELECT ${POOL_COLUMNS} FROM bed_pool p WHERE p.id = $1 FOR UPDATE`, [
      poolId,
    ]);
    if (!before || (onlyIfFree && before.available < 1)) return null;
    const [after] = await queryRows<PoolRow>(
      tx,
      `UPDATE bed_pool p SET held = held + $2, occupied = occupied + $3, version = version + 1, updated_at = now()
        WHERE p.id = $1 RETURNING ${POOL_COLUMNS}`,
      [poolId, deltas.held, deltas.occupied],
    );
    await this.recordEvent(tx, actorId, kind, before, after, null);
    const outbox = await this.afterChange(tx, before, after);
    const [shelter] = await tx.query<ShelterOfPool[]>(
      `SELECT s.organisation_id, s.region_id, r.path AS region_path, s.availability_verified_at
         FROM shelter s JOIN region r ON r.id = s.region_id WHERE s.id = $1`,
      [after.shelter_id],
    );
    const breakdownOnly = before.capacity === after.capacity && before.available === after.available;
    return { pool: { ...after, ...shelter }, verifiedAt: shelter.availability_verified_at, breakdownOnly, outbox };
  }

  /**
   * A shelter was paused or resumed, inside that change's transaction: coordinators' totals count its free beds
   * elsewhere now (available, or apart at paused shelters), so every pool is announced again after the commit
   * (`announce`); on resume, waitlisted referrals that fit its free beds get another chance.
   */
  async statusChanged(
    tx: EntityManager,
    shelterId: string,
    resumed: boolean,
  ): Promise<{ changes: PoolChange[]; outbox: string[] }> {
    const pools = await tx.query<(PoolRow & { availability_verified_at: Date })[]>(
      `SELECT ${POOL_COLUMNS}, s.organisation_id, s.region_id, r.path AS region_path, s.availability_verified_at
         FROM bed_pool p JOIN shelter s ON s.id = p.shelter_id JOIN region r ON r.id = s.region_id
        WHERE p.shelter_id = $1 ORDER BY p.bed_type`,
      [shelterId],
    );
    const resumedAt = Date.now();
    const outbox = resumed
      ? await Promise.all(
          pools
            .filter((p) => p.available > 0)
            .map((p) =>
              this.outbox.enqueue(tx, 'waitlist.capacity-changed', { poolId: p.id, version: p.version, resumedAt }),
            ),
        )
      : [];
    return { changes: pools.map((pool) => ({ pool, verifiedAt: pool.availability_verified_at })), outbox };
  }

  /** After the commit of `statusChanged`'s transaction: announce the pools, then relay the jobs. */
  async announce({ changes, outbox }: { changes: PoolChange[]; outbox: string[] }): Promise<void> {
    for (const change of changes) await this.publish(change);
    await this.outbox.relay(outbox);
  }

  /** When beds became free, waitlisted referrals that fit this pool get another chance. */
  private async afterChange(tx: EntityManager, before: PoolRow | null, after: PoolRow): Promise<string[]> {
    if (after.available <= (before?.available ?? 0)) return [];
    return [await this.outbox.enqueue(tx, 'waitlist.capacity-changed', { poolId: after.id, version: after.version })];
  }

  private async capacityConflict(poolId?: string): Promise<DomainError> {
    const [current] = poolId
      ? await this.db.query<PoolRow[]>(`SELECT ${POOL_COLUMNS} FROM bed_pool p WHERE p.id = $1`, [poolId])
      : [];
    return new DomainError(
      'CAPACITY_CONFLICT',
      'Counts must not be negative, and occupied + held + out of service must not exceed capacity',
      current ? { current: toCounts(current) } : {},
    );
  }

  private async recordEvent(
    tx: EntityManager,
    actorId: string | null,
    kind: CapacityEventKind,
    before: PoolRow | null,
    after: PoolRow,
    reason: string | null,
    madeAt: Date | null = null,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO capacity_event (bed_pool_id, shelter_id, actor_user_id, kind, reason,
         capacity_before, occupied_before, held_before, out_of_service_before,
         capacity_after, occupied_after, held_after, out_of_service_after, made_at, version_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        after.id,
        after.shelter_id,
        actorId,
        kind,
        reason,
        before?.capacity ?? null,
        before?.occupied ?? null,
        before?.held ?? null,
        before?.out_of_service ?? null,
        after.capacity,
        after.occupied,
        after.held,
        after.out_of_service,
        madeAt,
        after.version,
      ],
    );
  }

  async publish({ pool, verifiedAt, breakdownOnly = false }: PoolChange): Promise<void> {
    const change: BedAvailabilityChange = {
      shelterId: pool.shelter_id,
      organisationId: pool.organisation_id,
      regionId: pool.region_id,
      regionPath: pool.region_path,
      poolId: pool.id,
      bedType: pool.bed_type,
      ...toCounts(pool),
      availabilityVerifiedAt: verifiedAt,
      breakdownOnly,
    };
    this.signal.changed(pool.region_path);
    // the shelter's region and every region above it, so a state-wide subscriber hears county changes;
    // the change is committed already, so a Redis hiccup costs live viewers an update, not the caller an error
    try {
      await Promise.all(
        pool.region_path.map((regionId) => this.pubSub.publish(Topics.bedAvailability(this.config, regionId), change)),
      );
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error)?.name } }, 'bed availability change not published');
    }
  }
}

function toEntity(p: PoolRow): BedPoolEntity {
  return Object.assign(new BedPoolEntity(), {
    id: p.id,
    shelterId: p.shelter_id,
    bedType: p.bed_type,
    ...toCounts(p),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  });
}

function toCounts(p: PoolRow): PoolCounts {
  return {
    capacity: p.capacity,
    occupied: p.occupied,
    held: p.held,
    outOfService: p.out_of_service,
    available: p.available,
    version: p.version,
  };
}

/**
 * A change queued on a phone while offline carries the time staff made it: kept on its capacity event beside the
 * time it was applied, so occupancy over time counts it when it happened. Judged by the database's clock: not in
 * the future (a minute's grace for the phone's clock), not more than `maxHours` back.
 */
async function checkMadeAt(tx: EntityManager, madeAt: Date | null | undefined, maxHours: number): Promise<void> {
  if (!madeAt) return;
  const [when] = await tx.query<{ ahead: boolean; old: boolean }[]>(
    `SELECT $1::timestamptz > clock_timestamp() + interval '1 minute' AS ahead,
            $1::timestamptz < clock_timestamp() - make_interval(hours => $2) AS old`,
    [madeAt, maxHours],
  );
  if (when.ahead) throw badInput('madeAt', 'must not be in the future');
  if (when.old) throw badInput('madeAt', `must be at most ${maxHours} hours ago`);
}
