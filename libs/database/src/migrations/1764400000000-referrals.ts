import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referral workflow: referrals (needs profile in clear, identity encrypted), consents, bed holds, offers,
 * the event log of every transition, the identity read audit, and the transactional outbox of queue jobs.
 * A referral holds at most one bed at a time (partial unique index); pool counts stay guarded by bed_pool's CHECKs.
 */
export class Referrals1764400000000 implements MigrationInterface {
  name = 'Referrals1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TYPE referral_state AS ENUM ('SUBMITTED', 'AWAITING_CONSENT', 'MATCHING', 'OFFERED', 'ACCEPTED', 'PLACED',
        'EXITED', 'WAITLISTED', 'EXPIRED', 'WITHDRAWN', 'CONSENT_REVOKED')`);
    await q.query(`ALTER TABLE shelter ADD COLUMN intake_instructions text`);

    await q.query(`
      CREATE TABLE referral (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference_code text NOT NULL UNIQUE,
        agency_id uuid NOT NULL REFERENCES organisation(id),
        created_by uuid NOT NULL REFERENCES app_user(id),
        region_id uuid NOT NULL REFERENCES region(id),
        state referral_state NOT NULL,
        urgency text NOT NULL,
        needs jsonb NOT NULL,
        -- AES-256-GCM: {"kid","iv","tag","data"} in base64; null when no identity was given or after purge
        identity jsonb,
        consent_deadline timestamptz,
        waitlist_deadline timestamptz,
        -- exclusion reasons of the last matching run that found no bed (unmet need)
        last_exclusions jsonb,
        match_attempt integer NOT NULL DEFAULT 0,
        exit_destination text,
        previous_referral_id uuid REFERENCES referral(id),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX referral_agency_idx ON referral (agency_id, submitted_at DESC)`);
    await q.query(`CREATE INDEX referral_state_idx ON referral (state)`);
    await q.query(`CREATE INDEX referral_waitlist_idx ON referral (submitted_at) WHERE state = 'WAITLISTED'`);

    await q.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referral(id),
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        method text NOT NULL,
        recipient_shelter_id uuid REFERENCES shelter(id),
        recorded_by uuid NOT NULL REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by uuid REFERENCES app_user(id),
        CHECK (('SHARE_IDENTITY_WITH_RECIPIENT' = ANY(scopes)) = (recipient_shelter_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX consent_referral_idx ON consent (referral_id)`);

    await q.query(`
      CREATE TABLE bed_hold (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referral(id),
        bed_pool_id uuid NOT NULL REFERENCES bed_pool(id),
        shelter_id uuid NOT NULL REFERENCES shelter(id),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'RELEASED', 'CONVERTED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text
      )`);
    // a referral never holds two beds
    await q.query(`CREATE UNIQUE INDEX bed_hold_one_active_uq ON bed_hold (referral_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX bed_hold_active_pool_idx ON bed_hold (bed_pool_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX bed_hold_expiry_idx ON bed_hold (expires_at) WHERE status = 'ACTIVE'`);

    await q.query(`
      CREATE TABLE offer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referral(id),
        shelter_id uuid NOT NULL REFERENCES shelter(id),
        bed_hold_id uuid NOT NULL REFERENCES bed_hold(id),
        status text NOT NULL DEFAULT 'OPEN'
          CHECK (status IN ('OPEN', 'ACCEPTED', 'DECLINED', 'TIMED_OUT', 'CANCELLED')),
        attempt integer NOT NULL,
        offered_at timestamptz NOT NULL DEFAULT now(),
        respond_by timestamptz NOT NULL,
        responded_at timestamptz,
        responded_by uuid REFERENCES app_user(id),
        decline_reason text,
        decline_note text,
        intake_instructions text,
        UNIQUE (referral_id, attempt)
      )`);
    await q.query(`CREATE UNIQUE INDEX offer_one_open_uq ON offer (referral_id) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX offer_shelter_open_idx ON offer (shelter_id) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX offer_deadline_idx ON offer (respond_by) WHERE status = 'OPEN'`);

    await q.query(`
      CREATE TABLE referral_event (
        id bigserial PRIMARY KEY,
        referral_id uuid NOT NULL REFERENCES referral(id),
        actor_user_id uuid REFERENCES app_user(id),
        from_state referral_state NOT NULL,
        to_state referral_state NOT NULL,
        reason text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX referral_event_referral_idx ON referral_event (referral_id, id)`);

    await q.query(`
      CREATE TABLE identity_access (
        id bigserial PRIMARY KEY,
        referral_id uuid NOT NULL REFERENCES referral(id),
        user_id uuid NOT NULL REFERENCES app_user(id),
        organisation_id uuid REFERENCES organisation(id),
        accessed_at timestamptz NOT NULL DEFAULT now()
      )`);

    // jobs written in the same transaction as the state change they follow; the worker relays them to BullMQ
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        job_name text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL,
        run_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        relayed_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE relayed_at IS NULL`);

    await q.query(`
      CREATE FUNCTION forbid_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
    for (const table of ['referral_event', 'identity_access']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION forbid_rewrite()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox, identity_access, referral_event, offer, bed_hold, consent, referral`);
    await q.query(`ALTER TABLE shelter DROP COLUMN intake_instructions`);
    await q.query(`DROP FUNCTION forbid_rewrite`);
    await q.query(`DROP TYPE referral_state`);
  }
}
