import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When staff made a count change, if before it was applied (a change queued offline): occupancy over time counts
 * it then. NULL: made when applied (`occurred_at`).
 */
export class ChangeMadeAt1765300000000 implements MigrationInterface {
  name = 'ChangeMadeAt1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE capacity_event ADD COLUMN made_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE capacity_event DROP COLUMN made_at`);
  }
}
