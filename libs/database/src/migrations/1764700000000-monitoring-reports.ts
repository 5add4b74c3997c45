import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Regional reports and shelter webhooks: indexes for referrals and offers of a period, a shelter's own webhook
 * address (https in production; checked by the service) and secret version, and when a notification reached
 * that webhook.
 */
export class MonitoringReports1764700000000 implements MigrationInterface {
  name = 'MonitoringReports1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX referral_region_submitted_idx ON referral (region_id, submitted_at)`);
    await q.query(`CREATE INDEX offer_shelter_offered_idx ON offer (shelter_id, offered_at)`);
    await q.query(`ALTER TABLE shelter ADD COLUMN webhook_url text CHECK (length(webhook_url) <= 2048)`);
    // the signing secret is derived from the key, the shelter and this number; staff raise it to rotate theirs
    await q.query(`ALTER TABLE shelter ADD COLUMN webhook_secret_version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE notification ADD COLUMN webhook_delivered_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP COLUMN webhook_delivered_at`);
    await q.query(`ALTER TABLE shelter DROP COLUMN webhook_url, DROP COLUMN webhook_secret_version`);
    await q.query(`DROP INDEX offer_shelter_offered_idx`);
    await q.query(`DROP INDEX referral_region_submitted_idx`);
  }
}
