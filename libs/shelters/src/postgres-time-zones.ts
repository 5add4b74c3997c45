import { EntityManager } from 'typeorm';
import { badInput } from '@shelterlink/common';

let zones: Promise<Set<string>> | undefined;

/**
 * Time zones are worked out in SQL (a shelter's intake hours, a report's days), so a zone must be one Postgres
 * knows as well as Node. Postgres's list is read once per process.
 */
export async function checkPostgresTimeZone(
  db: Pick<EntityManager, 'query'>,
  field: string,
  zone: string,
): Promise<void> {
  zones ??= db
    .query<{ name: string }[]>(`SELECT name FROM pg_timezone_names`)
    .then((rows) => new Set(rows.map((r) => r.name)));
  const known = await zones.catch((error: unknown) => {
    zones = undefined;
    throw error;
  });
  if (!known.has(zone)) throw badInput(field, 'is not a known IANA time zone');
}
