import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-ins renewable without the password: one row per refresh token, never the token itself (a keyed hash of it).
 * Every renewal replaces the presented token with its successor in the same family (one sign-in on one browser);
 * a replaced token presented again is theft, and ends the family. A family ends (`revoked_at`) at sign-out, on
 * theft, when the user's sessions end (new password, new regions, deactivation), or when it expired. `replaced_by`
 * is a plain id, not a foreign key: the sweeper deletes a finished family's rows in any order.
 */
export class RefreshSessions1765400000000 implements MigrationInterface {
  name = 'RefreshSessions1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE refresh_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        token_hash text NOT NULL UNIQUE,
        family_id uuid NOT NULL,
        session_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_reason text CHECK (revoked_reason IN ('SIGNED_OUT', 'REUSED', 'SESSIONS_ENDED', 'LAPSED')),
        replaced_by uuid,
        replaced_at timestamptz,
        CONSTRAINT refresh_session_revoked_together CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL)),
        CONSTRAINT refresh_session_replaced_together CHECK ((replaced_by IS NULL) = (replaced_at IS NULL))
      )`);
    // every request with a token of a family asks whether the family ended
    await q.query(`CREATE INDEX refresh_session_family_idx ON refresh_session (family_id)`);
    await q.query(`CREATE INDEX refresh_session_user_idx ON refresh_session (user_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX refresh_session_expiry_idx ON refresh_session (expires_at)`);
    await q.query(
      `CREATE INDEX refresh_session_revoked_idx ON refresh_session (revoked_at) WHERE revoked_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_session`);
  }
}
