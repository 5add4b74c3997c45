import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The security trail: sign-ins, lockouts, refusals, rate limits, exports, admin changes and identity reads,
 * append-only (a trigger refuses every update and delete, whoever asks). Codes and ids only: no survivor data.
 */
export class AuditEvents1765000000000 implements MigrationInterface {
  name = 'AuditEvents1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        actor_user_id uuid,
        actor_role user_role,
        organisation_id uuid,
        address text,
        subject_type text,
        subject_id text,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    // read newest first (by id, as written), by kind or by actor
    await q.query(`CREATE INDEX audit_event_kind_idx ON audit_event (kind, id DESC)`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, id DESC)`);
    await q.query(`CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION forbid_rewrite()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
  }
}
