import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pool's recent capacity events for its staff (bedPoolEvents), newest first: each keeps the pool's version after
 * it (NULL for changes recorded before this), so staff reconciling after an offline replay can tell which change
 * made which version; an index reads a pool's events in the order they were written.
 */
export class PoolEvents1765600000000 implements MigrationInterface {
  name = 'PoolEvents1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE capacity_event ADD COLUMN version_after integer`);
    await q.query(`CREATE INDEX capacity_event_pool_recent_idx ON capacity_event (bed_pool_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX capacity_event_pool_recent_idx`);
    await q.query(`ALTER TABLE capacity_event DROP COLUMN version_after`);
  }
}
