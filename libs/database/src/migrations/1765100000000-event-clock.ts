import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One clock, at the moment things happen: every "when it happened" column defaults to the database's clock at the
 * statement (clock_timestamp()), not at the start of its transaction (now()), so a step that waited for a lock
 * records when it acted, and deadlines and their comparisons all read the same clock.
 */
const EVENT_TIMES = [
  ['audit_event', 'occurred_at'],
  ['bed_hold', 'created_at'],
  ['capacity_event', 'occurred_at'],
  ['consent', 'recorded_at'],
  ['identity_access', 'accessed_at'],
  ['notification', 'created_at'],
  ['offer', 'offered_at'],
  ['outbox', 'created_at'],
  ['outbox', 'run_at'],
  ['referral', 'submitted_at'],
  ['referral', 'updated_at'],
  ['referral_event', 'occurred_at'],
] as const;

export class EventClock1765100000000 implements MigrationInterface {
  name = 'EventClock1765100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, column] of EVENT_TIMES) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT clock_timestamp()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, column] of EVENT_TIMES) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT now()`);
    }
  }
}
