import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import {
  Actor,
  badInput,
  checkPageSize,
  decodeCursor,
  DomainError,
  encodeCursor,
  isCursorTimestamp,
  notFound,
  Role,
} from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { coarsenNeeds, NeedsProfile } from '@shelterlink/shelters';
import { Identity, SealedIdentity } from './identity-cipher';
import { IdentityVault } from './identity-vault';
import { OfferClosedReason } from './offer-vocabulary';
import { ACTIVE_CONSENT, lockAgencyReferral, ReferralRow } from './referral-access';
import { because, ReferralEventReason } from './referral-event-reason';
import { OPEN_STATES, ReferralState as S } from './referral-state';
import { WorkflowRunner } from './workflow-runner';

export enum ConsentScope {
  SHARE_NEEDS_WITH_CANDIDATE_SHELTERS = 'SHARE_NEEDS_WITH_CANDIDATE_SHELTERS',
  SHARE_IDENTITY_WITH_RECIPIENT = 'SHARE_IDENTITY_WITH_RECIPIENT',
  FOLLOW_UP_CONTACT = 'FOLLOW_UP_CONTACT',
}

export enum ConsentMethod {
  VERBAL_HOTLINE = 'VERBAL_HOTLINE',
  WRITTEN = 'WRITTEN',
  E_SIGNATURE = 'E_SIGNATURE',
}

export interface SubmitReferral {
  regionId: string;
  needs: NeedsProfile;
  identity?: Identity | null;
  previousReferralId?: string | null;
}

export interface RecordConsent {
  scopes: ConsentScope[];
  method: ConsentMethod;
  expiresAt: Date;
  recipientShelterId?: string | null;
}

/** Base32 without look-alike characters: reference codes are read aloud on the phone. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function referenceCode(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return `SL-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** What hotline advocates do with their agency's referrals. */
@Injectable()
export class ReferralsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runner: WorkflowRunner,
    private readonly vault: IdentityVault,
    private readonly config: AppConfig,
  ) {}

  async submit(actor: Actor, input: SubmitReferral): Promise<ReferralRow> {
    assertRole(actor, Role.HOTLINE_ADVOCATE);
    const [region] = await this.db.query<unknown[]>(`SELECT 1 FROM region WHERE id = $1`, [input.regionId]);
    if (!region) throw badInput('regionId', 'no such region');
    if (input.previousReferralId) {
      const [previous] = await this.db.query<unknown[]>(`SELECT 1 FROM referral WHERE id = $1 AND agency_id = $2`, [
        input.previousReferralId,
        actor.organisationId,
      ]);
      if (!previous) throw badInput('previousReferralId', 'no such referral');
    }
    // the survivor's whereabouts never go further than the 1 km grid: not stored, searched or shown precisely
    const needs = coarsenNeeds(input.needs);
    return this.runner.run(async (step) => {
      const deadline = await step.at(this.config.env.CONSENT_WINDOW_SECONDS);
      const [{ id }] = await step.tx.query<{ id: string }[]>(
        `INSERT INTO referral (reference_code, agency_id, created_by, region_id, state, urgency, needs, consent_deadline,
                               previous_referral_id)
         VALUES ($1, $2, $3, $4, $9, $5, $6, $7, $8) RETURNING id`,
        [
          referenceCode(),
          actor.organisationId,
          actor.userId,
          input.regionId,
          needs.urgency,
          JSON.stringify(needs),
          deadline,
          input.previousReferralId ?? null,
          S.SUBMITTED,
        ],
      );
      const identity = input.identity && Object.values(input.identity).some((v) => v) ? input.identity : null;
      if (identity) {
        await step.tx.query(`UPDATE referral SET identity = $2 WHERE id = $1`, [
          id,
          JSON.stringify(this.vault.seal(identity, id)),
        ]);
      }
      await step.transition(id, S.SUBMITTED, S.AWAITING_CONSENT, actor.userId, because(ReferralEventReason.SUBMITTED));
      await step.enqueue('referral.consent-expiry', { referralId: id }, deadline);
      return lockAgencyReferral(step.tx, actor, id);
    });
  }

  async recordConsent(actor: Actor, referralId: string, input: RecordConsent): Promise<ReferralRow> {
    assertRole(actor, Role.HOTLINE_ADVOCATE);
    const maxDays = this.config.env.CONSENT_MAX_DAYS;
    // judged by the database's clock, as every deadline is
    const [when] = await this.db.query<{ past: boolean; far: boolean }[]>(
      `SELECT $1::timestamptz <= clock_timestamp() AS past,
              $1::timestamptz > clock_timestamp() + make_interval(days => $2) AS far`,
      [input.expiresAt, maxDays],
    );
    if (when.past) throw badInput('expiresAt', 'must be in the future');
    if (when.far) throw badInput('expiresAt', `must be at most ${maxDays} days ahead`);
    const sharesIdentity = input.scopes.includes(ConsentScope.SHARE_IDENTITY_WITH_RECIPIENT);
    if (sharesIdentity !== Boolean(input.recipientShelterId)) {
      throw badInput('recipientShelterId', 'name the one shelter exactly when identity is shared');
    }
    if (input.recipientShelterId) {
      const [shelter] = await this.db.query<unknown[]>(`SELECT 1 FROM shelter WHERE id = $1`, [
        input.recipientShelterId,
      ]);
      if (!shelter) throw badInput('recipientShelterId', 'no such shelter');
    }
    return this.runner.run(async (step) => {
      const referral = await lockAgencyReferral(step.tx, actor, referralId);
      if (!OPEN_STATES.includes(referral.state)) {
        throw new DomainError('INVALID_TRANSITION', `A ${referral.state} referral takes no new consent`, {
          state: referral.state,
        });
      }
      await step.tx.query(
        `INSERT INTO consent (referral_id, scopes, method, recipient_shelter_id, recorded_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [referralId, input.scopes, input.method, input.recipientShelterId ?? null, actor.userId, input.expiresAt],
      );
      if (
        input.scopes.includes(ConsentScope.SHARE_NEEDS_WITH_CANDIDATE_SHELTERS) &&
        referral.state === S.AWAITING_CONSENT
      ) {
        await step.transition(
          referralId,
          S.AWAITING_CONSENT,
          S.MATCHING,
          actor.userId,
          because(ReferralEventReason.CONSENT_RECORDED),
          {
            match_attempt: 1,
          },
        );
        await step.enqueue('referral.match', { referralId, attempt: 1 });
      }
      return lockAgencyReferral(step.tx, actor, referralId);
    });
  }

  /** Takes effect at once: without a consent to share needs, the workflow stops and any hold is released. */
  async revokeConsent(actor: Actor, consentId: string): Promise<ReferralRow> {
    assertRole(actor, Role.HOTLINE_ADVOCATE);
    return this.runner.run(async (step) => {
      const [consent] = await step.tx.query<{ referral_id: string }[]>(
        `SELECT c.referral_id FROM consent c JOIN referral r ON r.id = c.referral_id
          WHERE c.id = $1 AND r.agency_id = $2 AND c.revoked_at IS NULL`,
        [consentId, actor.organisationId],
      );
      if (!consent) throw notFound('Consent');
      const referral = await lockAgencyReferral(step.tx, actor, consent.referral_id);
      await step.tx.query(`UPDATE consent SET revoked_at = clock_timestamp(), revoked_by = $2 WHERE id = $1`, [
        consentId,
        actor.userId,
      ]);
      const [stillShared] = await step.tx.query<unknown[]>(
        `SELECT 1 FROM consent c WHERE c.referral_id = $1 AND ${ACTIVE_CONSENT(ConsentScope.SHARE_NEEDS_WITH_CANDIDATE_SHELTERS)}`,
        [referral.id],
      );
      if (!stillShared && OPEN_STATES.includes(referral.state)) {
        await step.closeOffer({ referralId: referral.id }, OfferClosedReason.CONSENT_REVOKED);
        await step.releaseHold(referral.id, 'consent revoked');
        await step.transition(
          referral.id,
          referral.state,
          S.CONSENT_REVOKED,
          actor.userId,
          because(ReferralEventReason.CONSENT_REVOKED),
        );
      }
      return lockAgencyReferral(step.tx, actor, referral.id);
    });
  }

  /** `note`: the advocate's own words, kept with the event until the purge. */
  async withdraw(actor: Actor, referralId: string, note?: string | null): Promise<ReferralRow> {
    assertRole(actor, Role.HOTLINE_ADVOCATE);
    return this.runner.run(async (step) => {
      const referral = await lockAgencyReferral(step.tx, actor, referralId);
      await step.closeOffer({ referralId: referral.id }, OfferClosedReason.WITHDRAWN);
      await step.releaseHold(referral.id, 'withdrawn');
      await step.transition(
        referral.id,
        referral.state,
        S.WITHDRAWN,
        actor.userId,
        because(ReferralEventReason.WITHDRAWN),
        {},
        note ?? null,
      );
      return lockAgencyReferral(step.tx, actor, referral.id);
    });
  }

  /** Advocates: their agency's referral; everyone else: not found (shelters read offers, coordinators statistics). */
  async get(actor: Actor, id: string): Promise<ReferralRow> {
    if (actor.role !== Role.HOTLINE_ADVOCATE) throw notFound('Referral');
    const [row] = await this.db.query<ReferralRow[]>(`SELECT * FROM referral WHERE id = $1 AND agency_id = $2`, [
      id,
      actor.organisationId,
    ]);
    if (!row) throw notFound('Referral');
    return row;
  }

  async list(actor: Actor, args: { state?: S | null; first: number; after?: string | null }) {
    assertRole(actor, Role.HOTLINE_ADVOCATE);
    const first = checkPageSize(args.first);
    const params: unknown[] = [actor.organisationId, first + 1];
    let where = `agency_id = $1`;
    if (args.state) where += ` AND state = $${params.push(args.state)}`;
    if (args.after) {
      const [at, id] = decodeCursor(args.after, 2);
      if (!isCursorTimestamp(at) || typeof id !== 'string' || !isUUID(id)) {
        throw badInput('after', 'is not a valid cursor');
      }
      where += ` AND (submitted_at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    const rows = await this.db.query<ReferralRow[]>(
      `SELECT * FROM referral WHERE ${where} ORDER BY submitted_at DESC, id DESC LIMIT $2`,
      params,
    );
    const items = rows.slice(0, first);
    const cursorOf = (r: ReferralRow) => encodeCursor([r.submitted_at.toISOString(), r.id]);
    return {
      items,
      cursorOf,
      hasNextPage: rows.length > first,
      endCursor: items.length ? cursorOf(items[items.length - 1]) : null,
    };
  }

  /** The survivor's identity, for the referring agency only (a shelter reads it through its offer). Audited. */
  async identity(actor: Actor, referralId: string): Promise<Identity | null> {
    if (actor.role !== Role.HOTLINE_ADVOCATE) return null;
    const [row] = await this.db.query<{ identity: SealedIdentity | null }[]>(
      `SELECT identity FROM referral WHERE id = $1 AND agency_id = $2`,
      [referralId, actor.organisationId],
    );
    return this.vault.open(actor, referralId, row?.identity);
  }
}
