import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys: a client's retry of a change (the web app's offline queue, a request whose answer was lost)
 * carries the key of its first try; the key is claimed in the change's own transaction, so the change and its key
 * commit together or not at all. `scope`: the caller's organisation (or user, for callers without one).
 * `response`: the first answer, kept for replays until the key is purged (IDEMPOTENCY_KEY_DAYS).
 */
export class IdempotencyKeys1765200000000 implements MigrationInterface {
  name = 'IdempotencyKeys1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        scope text NOT NULL,
        key text NOT NULL,
        operation text NOT NULL,
        request_hash text NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
  }
}
