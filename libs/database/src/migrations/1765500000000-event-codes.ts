import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prose each referral event reason has been written with, and its code (ReferralEventReason): frozen here, as
 * the rows it backfills were written. `prefix`: the prose carries a detail after it.
 */
export const REFERRAL_EVENT_PROSE_CODES: readonly { prose: string; code: string; prefix?: true }[] = [
  { prose: 'submitted', code: 'SUBMITTED' },
  { prose: 'consent to share needs', code: 'CONSENT_RECORDED' },
  { prose: 'bed held and offered', code: 'OFFERED' },
  { prose: 'no fitting bed free; coordinators alerted', code: 'WAITLISTED' },
  { prose: 'no fitting bed free', code: 'WAITLISTED' },
  { prose: 'a fitting bed became free', code: 'BED_BECAME_FREE' },
  { prose: 'offer accepted', code: 'OFFER_ACCEPTED' },
  { prose: 'declined', code: 'OFFER_DECLINED', prefix: true },
  { prose: 'the shelter did not answer in time', code: 'OFFER_TIMED_OUT' },
  { prose: 'intake confirmed', code: 'INTAKE_CONFIRMED' },
  { prose: 'no-show', code: 'NO_SHOW_RECORDED' },
  { prose: 'no-show: the hold expired before intake', code: 'HOLD_EXPIRED' },
  { prose: 'exit', code: 'EXITED', prefix: true },
  { prose: 'withdrawn by the agency', code: 'WITHDRAWN' },
  { prose: 'consent revoked', code: 'CONSENT_REVOKED' },
  { prose: 'no consent within the window', code: 'CONSENT_WINDOW_EXPIRED' },
  { prose: 'the consent to share needs lapsed', code: 'CONSENT_LAPSED' },
  { prose: 'waited longer than its urgency allows', code: 'WAITLIST_EXPIRED' },
];

/** Prose no version of the workflow wrote (the demo's history): the code its states imply. */
const BY_STATES: readonly [from: string | null, to: string, code: string][] = [
  [null, 'AWAITING_CONSENT', 'SUBMITTED'],
  ['AWAITING_CONSENT', 'MATCHING', 'CONSENT_RECORDED'],
  ['WAITLISTED', 'MATCHING', 'BED_BECAME_FREE'],
  ['OFFERED', 'MATCHING', 'OFFER_DECLINED'],
  ['ACCEPTED', 'MATCHING', 'HOLD_EXPIRED'],
  [null, 'OFFERED', 'OFFERED'],
  [null, 'WAITLISTED', 'WAITLISTED'],
  [null, 'ACCEPTED', 'OFFER_ACCEPTED'],
  [null, 'PLACED', 'INTAKE_CONFIRMED'],
  [null, 'EXITED', 'EXITED'],
  [null, 'WITHDRAWN', 'WITHDRAWN'],
  [null, 'CONSENT_REVOKED', 'CONSENT_REVOKED'],
  ['AWAITING_CONSENT', 'EXPIRED', 'CONSENT_WINDOW_EXPIRED'],
  ['WAITLISTED', 'EXPIRED', 'WAITLIST_EXPIRED'],
  [null, 'EXPIRED', 'CONSENT_LAPSED'],
];

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Codes beside prose, so clients show their own words: `referral_event.reason_code`, backfilled from the prose each
 * version of the workflow wrote (and, for prose none wrote, from the event's states), then required and limited to
 * the known codes. The table is append-only: its guard is set aside for the backfill alone, inside this migration's
 * transaction.
 */
export class EventCodes1765500000000 implements MigrationInterface {
  name = 'EventCodes1765500000000';

  async up(q: QueryRunner): Promise<void> {
    const codes = [...new Set(REFERRAL_EVENT_PROSE_CODES.map((p) => p.code))];
    const byProse = REFERRAL_EVENT_PROSE_CODES.map(({ prose, code, prefix }) =>
      prefix
        ? `WHEN reason LIKE ${quote(`${prose}: %`)} OR reason = ${quote(prose)} THEN ${quote(code)}`
        : `WHEN reason = ${quote(prose)} THEN ${quote(code)}`,
    );
    const byStates = BY_STATES.map(
      ([from, to, code]) =>
        `WHEN ${from ? `from_state = ${quote(from)} AND ` : ''}to_state = ${quote(to)} THEN ${quote(code)}`,
    );
    await q.query(`ALTER TABLE referral_event ADD COLUMN reason_code text`);
    await q.query(`ALTER TABLE referral_event DISABLE TRIGGER referral_event_append_only`);
    await q.query(`UPDATE referral_event SET reason_code = CASE ${[...byProse, ...byStates].join(' ')} END`);
    await q.query(`ALTER TABLE referral_event ENABLE TRIGGER referral_event_append_only`);
    await q.query(`ALTER TABLE referral_event ALTER COLUMN reason_code SET NOT NULL,
      ADD CONSTRAINT referral_event_reason_code CHECK (reason_code IN (${codes.map(quote).join(', ')}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral_event DROP COLUMN reason_code`);
  }
}
