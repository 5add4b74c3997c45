import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A search without a location takes shelters most recently verified first (ties by id): an index in that order
 * lets it read only the window instead of sorting every shelter.
 */
export class SearchOrder1764500000000 implements MigrationInterface {
  name = 'SearchOrder1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX shelter_verified_idx ON shelter (availability_verified_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX shelter_verified_idx`);
  }
}
