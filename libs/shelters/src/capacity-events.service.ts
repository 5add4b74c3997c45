import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import { Actor, badInput, checkPageSize, decodeCursor, encodeCursor, notFound, Role } from '@shelterlink/common';
import { CapacityEventKind } from './bed-pools.service';

/** Counts a change left a pool with, and by how much each moved (null where the pool was created). */
export interface CapacityEventView {
  id: string;
  poolId: string;
  kind: CapacityEventKind;
  occurredAt: Date;
  madeAt: Date | null;
  versionAfter: number | null;
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  available: number;
  capacityDelta: number | null;
  occupiedDelta: number | null;
  heldDelta: number | null;
  outOfServiceDelta: number | null;
  madeByYou: boolean;
}

interface CapacityEventRow {
  id: string;
  bed_pool_id: string;
  kind: CapacityEventKind;
  occurred_at: Date;
  made_at: Date | null;
  version_after: number | null;
  capacity_before: number | null;
  occupied_before: number | null;
  held_before: number | null;
  out_of_service_before: number | null;
  capacity_after: number;
  occupied_after: number;
  held_after: number;
  out_of_service_after: number;
  by_caller: boolean;
}

const BIGINT_MAX = 2n ** 63n - 1n;
const delta = (after: number, before: number | null) => (before === null ? null : after - before);

/**
 * A pool's capacity events, newest first, for its own shelter's staff: what changed, when (and when it was made, for
 * a change queued offline), the version after it, and whether the caller made it. Nothing about who else did (staff
 * do not see their colleagues' names) or why (free text), and nothing about any survivor.
 */
@Injectable()
export class CapacityEventsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async recent(actor: Actor, poolId: string, first: number, after?: string | null) {
    assertRole(actor, Role.SHELTER_STAFF);
    checkPageSize(first);
    let before: string | null = null;
    if (after) {
      const [id] = decodeCursor(after, 1);
      if (typeof id !== 'string' || !/^\d{1,19}$/.test(id) || BigInt(id) > BIGINT_MAX) {
        throw badInput('after', 'is not a valid cursor');
      }
      before = id;
    }
    const [own] = await this.db.query<unknown[]>(
      `SELECT 1 FROM bed_pool p JOIN shelter s ON s.id = p.shelter_id WHERE p.id = $1 AND s.organisation_id = $2`,
      [poolId, actor.organisationId],
    );
    if (!own) throw notFound('Bed pool');
    const rows = await this.db.query<CapacityEventRow[]>(
      `SELECT e.id::text, e.bed_pool_id, e.kind, e.occurred_at, e.made_at, e.version_after,
              e.capacity_before, e.occupied_before, e.held_before, e.out_of_service_before,
              e.capacity_after, e.occupied_after, e.held_after, e.out_of_service_after,
              coalesce(e.actor_user_id = $3, false) AS by_caller
         FROM capacity_event e
        WHERE e.bed_pool_id = $1 AND ($4::bigint IS NULL OR e.id < $4::bigint)
        ORDER BY e.id DESC LIMIT $2`,
      [poolId, first + 1, actor.userId, before],
    );
    const items = rows.slice(0, first).map(toView);
    const cursorOf = (e: CapacityEventView) => encodeCursor([e.id]);
    const last = items.at(-1);
    return { items, cursorOf, hasNextPage: rows.length > first, endCursor: last ? cursorOf(last) : null };
  }
}

function toView(r: CapacityEventRow): CapacityEventView {
  return {
    id: r.id,
    poolId: r.bed_pool_id,
    kind: r.kind,
    occurredAt: r.occurred_at,
    madeAt: r.made_at,
    versionAfter: r.version_after,
    capacity: r.capacity_after,
    occupied: r.occupied_after,
    held: r.held_after,
    outOfService: r.out_of_service_after,
    available: r.capacity_after - r.occupied_after - r.held_after - r.out_of_service_after,
    capacityDelta: delta(r.capacity_after, r.capacity_before),
    occupiedDelta: delta(r.occupied_after, r.occupied_before),
    heldDelta: delta(r.held_after, r.held_before),
    outOfServiceDelta: delta(r.out_of_service_after, r.out_of_service_before),
    madeByYou: r.by_caller,
  };
}
