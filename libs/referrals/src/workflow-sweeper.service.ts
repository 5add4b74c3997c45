import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RefreshSessionsService } from '@shelterlink/accounts';
import { AppConfig } from '@shelterlink/config';
import { queryRows } from '@shelterlink/database';
import { OutboxService } from '@shelterlink/queue';
import { NEEDS_CONSENT_LAPSED } from './referral-access';
import { NEEDS_CONSENT_STATES, ReferralState as S } from './referral-state';
import { ReferralWorkflowService } from './referral-workflow.service';

/**
 * The safety net under the delayed jobs: whatever is overdue in Postgres is acted on, even when its job was
 * lost. Every action is the same idempotent step the job would have run, so racing a late job is harmless.
 */
@Injectable()
export class WorkflowSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workflow: ReferralWorkflowService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly refreshSessions: RefreshSessionsService,
  ) {}

  async sweep(): Promise<Record<string, number>> {
    const ids = async (sql: string, params: unknown[] = []) =>
      (await this.db.query<{ id: string; n?: number }[]>(sql, params)).map((r) => r);
    const offers = await ids(`SELECT id FROM offer WHERE status = 'OPEN' AND respond_by <= now() LIMIT 500`);
    for (const o of offers) await this.workflow.timeOutOffer(o.id);
    const holds = await ids(
      `SELECT h.id FROM bed_hold h JOIN referral r ON r.id = h.referral_id
        WHERE h.status = 'ACTIVE' AND h.expires_at <= now() AND r.state = $1 LIMIT 500`,
      [S.ACCEPTED],
    );
    for (const h of holds) await this.workflow.expireHold(h.id);
    const consents = await ids(`SELECT id FROM referral WHERE state = $1 AND consent_deadline <= now() LIMIT 500`, [
      S.AWAITING_CONSENT,
    ]);
    for (const r of consents) await this.workflow.expireConsentWindow(r.id);
    const waitlisted = await ids(
      `SELECT id, match_attempt AS n FROM referral WHERE state = $1 AND waitlist_deadline <= now() LIMIT 500`,
      [S.WAITLISTED],
    );
    for (const r of waitlisted) await this.workflow.expireWaitlist(r.id, r.n!);
    // a consent to share needs that lapsed before any shelter accepted stops the workflow
    const lapsed = await ids(`SELECT f.id FROM referral f WHERE ${NEEDS_CONSENT_LAPSED('f', '$1')} LIMIT 500`, [
      NEEDS_CONSENT_STATES,
    ]);
    for (const r of lapsed) await this.workflow.lapseConsent(r.id);
    const stuck = await ids(
      `SELECT id, match_attempt AS n FROM referral
        WHERE state = $2 AND updated_at <= now() - make_interval(secs => $1) ORDER BY updated_at LIMIT 50`,
      [this.config.env.MATCHING_STUCK_SECONDS, S.MATCHING],
    );
    for (const r of stuck) {
      // its job is lost, or failed for good during an outage (BullMQ keeps a failed job, so enqueueing its id again
      // would do nothing): the sweeper runs the step itself, the same idempotent step the job runs
      await this.db.query(`UPDATE referral SET updated_at = now() WHERE id = $1 AND state = $2`, [r.id, S.MATCHING]);
      await this.workflow.match(r.id, r.n!);
    }
    const relayed = await this.outbox.relayPending();
    const purged = await this.purge();
    // idempotency keys (and the answers kept with them) older than IDEMPOTENCY_KEY_DAYS, a batch at a time
    await this.db.query(
      `DELETE FROM idempotency_key WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_key
        WHERE created_at < now() - make_interval(days => $1) LIMIT 1000))`,
      [this.config.env.IDEMPOTENCY_KEY_DAYS],
    );
    // refresh tokens of sign-ins that ended or expired a few days ago
    const refreshTokens = await this.refreshSessions.purge();
    return {
      offers: offers.length,
      holds: holds.length,
      consents: consents.length,
      waitlisted: waitlisted.length,
      lapsed: lapsed.length,
      stuck: stuck.length,
      relayed,
      purged,
      refreshTokens,
    };
  }

  /**
   * IDENTITY_PURGE_DAYS after a referral closed, everything that could point at the survivor goes, in one
   * transaction: the identity, the (coarse) location, and every free text people wrote about the survivor or the
   * referral (the withdrawal note on its event, the decline note and intake instructions on its offers, a
   * bed-change reason that names it by its reference code). What statistics need (states, times, codes) stays.
   */
  private async purge(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const ids = (
        await queryRows<{ id: string }>(
          tx,
          `UPDATE referral SET identity = NULL, needs = jsonb_set(needs, '{location}', 'null'), purged_at = now()
            WHERE id IN (SELECT id FROM referral
                          WHERE purged_at IS NULL AND closed_at <= now() - make_interval(days => $1)
                          ORDER BY closed_at LIMIT 500 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [this.config.env.IDENTITY_PURGE_DAYS],
        )
      ).map((r) => r.id);
      if (ids.length === 0) return 0;
      await tx.query(
        `UPDATE offer SET decline_note = NULL, intake_instructions = NULL
          WHERE referral_id = ANY ($1::uuid[]) AND (decline_note IS NOT NULL OR intake_instructions IS NOT NULL)`,
        [ids],
      );
      // a bed-change reason staff wrote that names the referral (its reference code), at a shelter it was offered to
      await tx.query(
        `UPDATE capacity_event e SET reason = NULL
           FROM referral f
          WHERE f.id = ANY ($1::uuid[]) AND e.reason IS NOT NULL AND e.occurred_at >= f.submitted_at
            AND e.shelter_id IN (SELECT o.shelter_id FROM offer o WHERE o.referral_id = f.id)
            AND strpos(upper(e.reason), f.reference_code) > 0`,
        [ids],
      );
      await tx.query(
        `UPDATE referral_event SET note = NULL WHERE referral_id = ANY ($1::uuid[]) AND note IS NOT NULL`,
        [ids],
      );
      return ids.length;
    });
  }
}
