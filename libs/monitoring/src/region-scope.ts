import { DataSource } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import { Actor, notFound, Role } from '@shelterlink/common';

/**
 * The region $1 when the caller may see it: $2 is a coordinator's regions (the region must be one of them or lie
 * below one), or null for an admin. No row otherwise, so a region out of scope reads as not found.
 */
const VISIBLE_REGION_SQL = `SELECT id, name FROM region WHERE id = $1 AND ($2::uuid[] IS NULL OR path && $2::uuid[])`;

/** The regions a monitoring reader may see: a coordinator's own (and below), any for an admin; others refused. */
export function monitoringScope(actor: Actor): readonly string[] | null {
  assertRole(actor, Role.REGIONAL_COORDINATOR, Role.ADMIN);
  return actor.role === Role.REGIONAL_COORDINATOR ? actor.regionIds : null;
}

/** The region, or NOT_FOUND when it does not exist or lies outside the caller's scope. */
export async function visibleRegion(
  db: DataSource,
  actor: Actor,
  regionId: string,
): Promise<{ id: string; name: string }> {
  const [region] = await db.query<{ id: string; name: string }[]>(VISIBLE_REGION_SQL, [
    regionId,
    monitoringScope(actor),
  ]);
  if (!region) throw notFound('Region');
  return region;
}
