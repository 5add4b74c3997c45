import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, badInput } from '@shelterlink/common';
import { checkPostgresTimeZone } from '@shelterlink/shelters';
import { BedCounts } from './capacity.service';
import { checkBuckets, MAX_BUCKETS, OccupancyBucket, Period } from './period';
import { visibleRegion } from './region-scope';

export interface OccupancyPoint {
  /** The bucket [start, end); counts are as they stood at its end (or now, for the bucket now running). */
  start: Date;
  end: Date;
  beds: BedCounts;
  surge: BedCounts;
}

export interface Occupancy {
  regionId: string;
  regionName: string;
  bucket: OccupancyBucket;
  timeZone: string;
  points: OccupancyPoint[];
}

/**
 * How a bucket's start is found, in SQL, for a moment `t` and the zone $4. Hours are real hours (a day when the
 * clocks change has 23 or 25 of them), aligned to the zone's hour ($4, the first bucket's start, is the origin).
 * Days run from local midnight to local midnight.
 */
const BUCKET_SQL: Readonly<Record<OccupancyBucket, { startOf: (t: string) => string; next: (t: string) => string }>> = {
  HOUR: {
    startOf: (t) => `date_bin(interval '1 hour', ${t}, $4::timestamptz)`,
    next: (t) => `${t} + interval '1 hour'`,
  },
  DAY: {
    startOf: (t) => `(date_trunc('day', ${t} AT TIME ZONE $3::text) AT TIME ZONE $3::text)`,
    next: (t) => `((${t} AT TIME ZONE $3::text) + interval '1 day') AT TIME ZONE $3::text`,
  },
};

/**
 * Counts over time, worked back from today's counts of every pool of the region and below: each capacity event
 * records a pool's counts before and after a change, so the counts at a bucket's end are today's less every
 * change (after − before; a pool's first event starts from zero) made since. Sums do not depend on the order of
 * the events (their times are their transactions' starts, so two changes to one pool can commit out of time
 * order), and only events since the series' start ($4) are read. A change queued offline counts when it was
 * made (`made_at`, at most $6 hours before it was applied). $2 is the series' end, $3 the zone, $5 the most buckets.
 */
function occupancySql(bucket: OccupancyBucket): string {
  const { startOf, next } = BUCKET_SQL[bucket];
  const pools = `region g JOIN shelter s ON s.region_id = g.id JOIN bed_pool p ON p.shelter_id = s.id`;
  const surge = `p.bed_type = 'EMERGENCY_OVERFLOW'`;
  const change = (column: string) => `e.${column}_after - coalesce(e.${column}_before, 0)`;
  return `
WITH RECURSIVE series AS (
  SELECT $4::timestamptz AS start, 1 AS n
  UNION ALL
  SELECT ${next('start')}, n + 1 FROM series WHERE ${next('start')} < $2::timestamptz AND n <= $5
),
today AS (
  SELECT ${surge} AS surge, sum(p.capacity) AS capacity, sum(p.occupied) AS occupied, sum(p.held) AS held,
         sum(p.out_of_service) AS out_of_service
    FROM ${pools} WHERE g.path @> ARRAY[$1::uuid] GROUP BY 1
),
changes AS (
  SELECT ${startOf('coalesce(e.made_at, e.occurred_at)')} AS start, ${surge} AS surge,
         ${change('capacity')} AS capacity, ${change('occupied')} AS occupied, ${change('held')} AS held,
         ${change('out_of_service')} AS out_of_service
    FROM ${pools}
    JOIN capacity_event e ON e.bed_pool_id = p.id
   WHERE g.path @> ARRAY[$1::uuid] AND coalesce(e.made_at, e.occurred_at) >= $4::timestamptz
     AND e.occurred_at >= $4::timestamptz - make_interval(hours => $6)
),
since AS (
  SELECT surge, sum(capacity) AS capacity, sum(occupied) AS occupied, sum(held) AS held,
         sum(out_of_service) AS out_of_service
    FROM changes GROUP BY 1
),
sums AS (
  SELECT start, surge, sum(capacity) AS capacity, sum(occupied) AS occupied, sum(held) AS held,
         sum(out_of_service) AS out_of_service
    FROM changes GROUP BY 1, 2
)
SELECT x.start, ${next('x.start')} AS finish, k.surge, $3::text AS time_zone,
       ${['capacity', 'occupied', 'held', 'out_of_service']
         .map((c) => `(coalesce(t.${c}, 0) - coalesce(l.${c}, 0) + sum(coalesce(m.${c}, 0)) OVER w)::int AS ${c}`)
         .join(',\n       ')}
  FROM series x
 CROSS JOIN (VALUES (false), (true)) k(surge)
  LEFT JOIN today t ON t.surge = k.surge
  LEFT JOIN since l ON l.surge = k.surge
  LEFT JOIN sums m ON m.start = x.start AND m.surge = k.surge
WINDOW w AS (PARTITION BY k.surge ORDER BY x.start)
 ORDER BY x.start, k.surge`;
}

/** The start of the bucket holding $1 in zone $2: the first bucket of a series. */
const FIRST_START_SQL: Readonly<Record<OccupancyBucket, string>> = {
  HOUR: `SELECT date_trunc('hour', $1::timestamptz AT TIME ZONE $2::text) AT TIME ZONE $2::text AS start`,
  DAY: `SELECT date_trunc('day', $1::timestamptz AT TIME ZONE $2::text) AT TIME ZONE $2::text AS start`,
};

interface PointRow {
  start: Date;
  finish: Date;
  surge: boolean;
  capacity: number;
  occupied: number;
  held: number;
  out_of_service: number;
}

const counts = (r: PointRow): BedCounts => ({
  capacity: r.capacity,
  occupied: r.occupied,
  held: r.held,
  outOfService: r.out_of_service,
  available: r.capacity - r.occupied - r.held - r.out_of_service,
  availableAtPausedShelters: null,
});

@Injectable()
export class OccupancyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Beds of the region and below over [from, to), per hour or per day (days in `timeZone`). A period running
   * into the future ends now: counts ahead are not known.
   */
  async occupancy(
    actor: Actor,
    regionId: string,
    period: Period,
    bucket: OccupancyBucket,
    timeZone = 'UTC',
    now = new Date(),
  ): Promise<Occupancy> {
    const region = await visibleRegion(this.db, actor, regionId);
    if (period.from.getTime() >= now.getTime()) throw badInput('from', 'must be in the past');
    const to = period.to.getTime() > now.getTime() ? now : period.to;
    const { from } = checkBuckets({ from: period.from, to }, bucket);
    await checkPostgresTimeZone(this.db.manager, 'timeZone', timeZone);
    const [{ start }] = await this.db.query<{ start: Date }[]>(FIRST_START_SQL[bucket], [from, timeZone]);
    const rows = await this.db.query<PointRow[]>(occupancySql(bucket), [
      region.id,
      to,
      timeZone,
      start,
      MAX_BUCKETS[bucket],
      // the most OFFLINE_CHANGE_MAX_HOURS may be: how long before it was applied a change can have been made
      72,
    ]);
    // the first bucket starts before `from`, so a period just under the limit can need one bucket more
    if (rows.length / 2 > MAX_BUCKETS[bucket])
      throw badInput(
        'to',
        `at most ${MAX_BUCKETS[bucket]} ${bucket.toLowerCase()} buckets; choose a shorter period or DAY`,
      );
    const points: OccupancyPoint[] = [];
    for (let i = 0; i < rows.length; i += 2) {
      const [regular, surge] = [rows[i], rows[i + 1]];
      points.push({ start: regular.start, end: regular.finish, beds: counts(regular), surge: counts(surge) });
    }
    return { regionId: region.id, regionName: region.name, bucket, timeZone, points };
  }
}
