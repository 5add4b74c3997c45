import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What using the workflow showed was missing:
 * - an offer's whole life for the shelter's staff: when and why it closed (open, awaiting arrival and resident
 *   offers have no `closed_at`), with indexes for a shelter's current and closed offers;
 * - the purge: `purged_at` marks a closed referral whose identity, location and free text are gone; a person's
 *   free text on an event (a withdrawal reason) lives in `referral_event.note`, the one field the append-only
 *   guard lets the purge clear, as `capacity_event.reason` is when it names a purged referral;
 * - `blocked_by`: the exclusion reasons that stood between a waitlisted referral and a bed (unmet need);
 * - survivors' locations already stored are coarsened to 0.01°, as new ones are on input.
 */
export class WorkflowInUse1764800000000 implements MigrationInterface {
  name = 'WorkflowInUse1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE offer
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN closed_reason text CHECK (closed_reason IN
          ('DECLINED', 'TIMED_OUT', 'WITHDRAWN', 'CONSENT_REVOKED', 'CONSENT_LAPSED', 'NO_SHOW', 'EXITED')),
        ADD CONSTRAINT offer_closed_together CHECK ((closed_at IS NULL) = (closed_reason IS NULL))`);
    await q.query(`
      UPDATE offer SET closed_at = coalesce(responded_at, respond_by), closed_reason = status
       WHERE status IN ('DECLINED', 'TIMED_OUT')`);
    await q.query(`
      UPDATE offer o
         SET closed_at = coalesce(h.ended_at, r.closed_at, r.updated_at),
             closed_reason = CASE WHEN o.responded_at IS NOT NULL THEN 'NO_SHOW'
                                  WHEN r.state IN ('WITHDRAWN', 'CONSENT_REVOKED') THEN r.state::text
                                  ELSE 'CONSENT_LAPSED' END
        FROM bed_hold h, referral r
       WHERE o.status = 'CANCELLED' AND h.id = o.bed_hold_id AND r.id = o.referral_id`);
    await q.query(`
      UPDATE offer o SET closed_at = coalesce(r.closed_at, r.updated_at), closed_reason = r.state::text
        FROM referral r
       WHERE o.status = 'ACCEPTED' AND r.id = o.referral_id AND r.state IN ('EXITED', 'WITHDRAWN', 'CONSENT_REVOKED')`);
    await q.query(`CREATE INDEX offer_shelter_current_idx ON offer (shelter_id) WHERE closed_at IS NULL`);
    await q.query(
      `CREATE INDEX offer_shelter_closed_idx ON offer (shelter_id, closed_at DESC) WHERE closed_at IS NOT NULL`,
    );

    await q.query(`ALTER TABLE referral ADD COLUMN blocked_by text[], ADD COLUMN purged_at timestamptz`);
    await q.query(`
      UPDATE referral SET blocked_by = ARRAY(SELECT jsonb_object_keys(last_exclusions) ORDER BY 1)
       WHERE last_exclusions IS NOT NULL`);
    await q.query(
      `CREATE INDEX referral_purge_idx ON referral (closed_at) WHERE purged_at IS NULL AND closed_at IS NOT NULL`,
    );
    await q.query(`
      UPDATE referral
         SET needs = jsonb_set(needs, '{location}', jsonb_build_object(
               'latitude', round((needs #>> '{location,latitude}')::numeric, 2),
               'longitude', round((needs #>> '{location,longitude}')::numeric, 2)))
       WHERE jsonb_typeof(needs -> 'location') = 'object'`);

    await q.query(`ALTER TABLE referral_event ADD COLUMN note text`);
    // An append-only table that the purge may touch in one way only: clearing the free-text column named by the
    // trigger's argument (a note a person wrote). Every other change, and every delete, is refused.
    await q.query(`
      CREATE FUNCTION append_only_but_purgeable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND to_jsonb(NEW) -> TG_ARGV[0] = 'null'::jsonb
           AND (to_jsonb(NEW) - TG_ARGV[0]) = (to_jsonb(OLD) - TG_ARGV[0]) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$`);
    await q.query(`DROP TRIGGER referral_event_append_only ON referral_event`);
    // withdrawal reasons typed by advocates move from the event's reason into its note, where the purge reaches them
    await q.query(`
      UPDATE referral_event SET note = reason, reason = 'withdrawn by the agency'
       WHERE to_state = 'WITHDRAWN' AND actor_user_id IS NOT NULL AND reason <> 'withdrawn by the agency'`);
    await q.query(`CREATE TRIGGER referral_event_append_only BEFORE UPDATE OR DELETE ON referral_event
      FOR EACH ROW EXECUTE FUNCTION append_only_but_purgeable('note')`);
    // bed-change reasons are staff's own words; one that names a referral (by its reference code) is cleared with
    // that referral's purge
    await q.query(`DROP TRIGGER capacity_event_no_update ON capacity_event`);
    await q.query(`CREATE TRIGGER capacity_event_no_update BEFORE UPDATE OR DELETE ON capacity_event
      FOR EACH ROW EXECUTE FUNCTION append_only_but_purgeable('reason')`);

    await q.query(`ALTER TABLE shelter ADD CONSTRAINT shelter_intake_instructions_length
      CHECK (length(intake_instructions) BETWEEN 1 AND 1000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shelter DROP CONSTRAINT shelter_intake_instructions_length`);
    await q.query(`DROP TRIGGER capacity_event_no_update ON capacity_event`);
    await q.query(`CREATE TRIGGER capacity_event_no_update BEFORE UPDATE OR DELETE ON capacity_event
      FOR EACH ROW EXECUTE FUNCTION capacity_event_append_only()`);
    await q.query(`DROP TRIGGER referral_event_append_only ON referral_event`);
    await q.query(`CREATE TRIGGER referral_event_append_only BEFORE UPDATE OR DELETE ON referral_event
      FOR EACH ROW EXECUTE FUNCTION forbid_rewrite()`);
    await q.query(`DROP FUNCTION append_only_but_purgeable`);
    await q.query(`ALTER TABLE referral_event DROP COLUMN note`);
    await q.query(`DROP INDEX referral_purge_idx`);
    await q.query(`ALTER TABLE referral DROP COLUMN blocked_by, DROP COLUMN purged_at`);
    await q.query(`DROP INDEX offer_shelter_closed_idx`);
    await q.query(`DROP INDEX offer_shelter_current_idx`);
    await q.query(`ALTER TABLE offer DROP CONSTRAINT offer_closed_together, DROP COLUMN closed_at,
      DROP COLUMN closed_reason`);
  }
}
