import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { queryRows } from '@shelterlink/database';
import { OutboxService } from '@shelterlink/queue';
import { NEEDS_CONSENT_LAPSED } from './referral-access';
import { ReferralWorkflowService } from './referral-workflow.service';
import { WorkflowRunner } from './workflow-runner';

/** A MATCHING referral untouched this long has lost its match job (Redis lost it, or it was never relayed). */
const STUCK_MATCHING_SECONDS = 30;

/**
 * The safety net under the delayed jobs: whatever is overdue in Postgres is acted on, even when its job was
 * lost. Every action is the same idempotent step the job would have run, so racing a late job is harmless.
 */
@Injectable()
export class WorkflowSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workflow: ReferralWorkflowService,
    private readonly runner: WorkflowRunner,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<Record<string, number>> {
    const ids = async (sql: string, params: unknown[] = []) =>
      (await this.db.query<{ id: string; n?: number }[]>(sql, params)).map((r) => r);
    const offers = await ids(`SELECT id FROM offer WHERE status = 'OPEN' AND respond_by <= now() LIMIT 500`);
    for (const o of offers) await this.workflow.timeOutOffer(o.id);
    const holds = await ids(
      `SELECT h.id FROM bed_hold h JOIN referral r ON r.id = h.referral_id
        WHERE h.status = 'ACTIVE' AND h.expires_at <= now() AND r.state = 'ACCEPTED' LIMIT 500`,
    );
    for (const h of holds) await this.workflow.expireHold(h.id);
    const consents = await ids(
      `SELECT id FROM referral WHERE state = 'AWAITING_CONSENT' AND consent_deadline <= now() LIMIT 500`,
    );
    for (const r of consents) await this.workflow.expireConsentWindow(r.id);
    const waitlisted = await ids(
      `SELECT id, match_attempt AS n FROM referral WHERE state = 'WAITLISTED' AND waitlist_deadline <= now() LIMIT 500`,
    );
    for (const r of waitlisted) await this.workflow.expireWaitlist(r.id, r.n!);
    // a consent to share needs that lapsed before any shelter accepted stops the workflow
    const lapsed = await ids(`SELECT f.id FROM referral f WHERE ${NEEDS_CONSENT_LAPSED('f')} LIMIT 500`);
    for (const r of lapsed) await this.workflow.lapseConsent(r.id);
    const stuck = await ids(
      `SELECT id, match_attempt AS n FROM referral
        WHERE state = 'MATCHING' AND updated_at <= now() - make_interval(secs => $1) LIMIT 500`,
      [STUCK_MATCHING_SECONDS],
    );
    for (const r of stuck) {
      // the same job id as the lost job: a duplicate of a job that still exists is a no-op
      await this.runner.run((step) => step.enqueue('referral.match', { referralId: r.id, attempt: r.n! }));
      await this.db.query(`UPDATE referral SET updated_at = now() WHERE id = $1 AND state = 'MATCHING'`, [r.id]);
    }
    const relayed = await this.outbox.relayPending();
    const purged = await queryRows(
      this.db.manager,
      `UPDATE referral SET identity = NULL
        WHERE identity IS NOT NULL AND closed_at <= now() - make_interval(days => $1) RETURNING id`,
      [this.config.env.IDENTITY_PURGE_DAYS],
    );
    return {
      offers: offers.length,
      holds: holds.length,
      consents: consents.length,
      waitlisted: waitlisted.length,
      lapsed: lapsed.length,
      stuck: stuck.length,
      relayed,
      purged: purged.length,
    };
  }
}
