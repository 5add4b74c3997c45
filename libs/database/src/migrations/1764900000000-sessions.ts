import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that end: every token carries its user's session version, and a password change, a deactivation or a
 * change of a coordinator's regions raises it, so every token issued before stops at once (HTTP and WebSocket).
 */
export class Sessions1764900000000 implements MigrationInterface {
  name = 'Sessions1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN session_version integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN session_version`);
  }
}
