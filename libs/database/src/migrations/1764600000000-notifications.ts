import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications to a shelter provider's staff, such as stale-count reminders. A reminder is unique per shelter,
 * kind and stale window (the verification it is about and how many windows have passed since), so a job that
 * runs twice reminds once.
 */
export class Notifications1764600000000 implements MigrationInterface {
  name = 'Notifications1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        shelter_id uuid NOT NULL REFERENCES shelter(id),
        kind text NOT NULL CHECK (kind IN ('STALE_COUNTS')),
        message text NOT NULL,
        about_verified_at timestamptz NOT NULL,
        stale_window integer NOT NULL CHECK (stale_window >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (shelter_id, kind, about_verified_at, stale_window)
      )`);
    await q.query(`CREATE INDEX notification_organisation_idx ON notification (organisation_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification`);
  }
}
