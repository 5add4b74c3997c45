import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import { Actor, badInput, notFound, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { isRefusedHost, portOf, postJson, WebhookReach } from './webhook-delivery';
import { queryRows } from '@shelterlink/database';

export interface ShelterWebhook {
  shelterId: string;
  url: string | null;
  /** The key the shelter's system checks signatures with: HMAC-SHA256(WEBHOOK_SIGNING_KEY, shelter id), hex. */
  signingSecret: string;
}

export const SIGNATURE_HEADER = 'x-shelterlink-signature';
export const TIMESTAMP_HEADER = 'x-shelterlink-timestamp';

/**
 * `v1=` + hex HMAC-SHA256 over `<timestamp>.<body>`: a receiver recomputes it with its secret, compares in
 * constant time and refuses old timestamps, so a captured call cannot be replayed later.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface DeliveryRow {
  id: string;
  shelter_id: string;
  kind: string;
  message: string;
  created_at: Date;
  webhook_url: string | null;
  webhook_secret_version: number;
  webhook_delivered_at: Date | null;
}

interface WebhookRow {
  id: string;
  webhook_url: string | null;
  webhook_secret_version: number;
}

/**
 * A shelter's own system may be told of its notifications (stale-count reminders) by a signed POST. Only the
 * shelter's own staff see or set the address and the secret, and rotate the secret. The worker delivers (job
 * `notification.webhook`, notification id only), retrying with a growing backoff until the receiver answers 2xx;
 * redirects are not followed; in production only public addresses are called.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Nothing to store: HMAC(WEBHOOK_SIGNING_KEY, shelter, version); a new version is a new secret. */
  private secretFor(shelterId: string, version: number): string {
    return createHmac('sha256', this.config.webhookSigningKey)
      .update(`shelter-webhook:${shelterId}:${version}`)
      .digest('hex');
  }

  private present(row: WebhookRow): ShelterWebhook {
    return {
      shelterId: row.id,
      url: row.webhook_url,
      signingSecret: this.secretFor(row.id, row.webhook_secret_version),
    };
  }

  async get(actor: Actor, shelterId: string): Promise<ShelterWebhook> {
    assertRole(actor, Role.SHELTER_STAFF);
    const [row] = await this.db.query<WebhookRow[]>(
      `SELECT id, webhook_url, webhook_secret_version FROM shelter WHERE id = $1 AND organisation_id = $2`,
      [shelterId, actor.organisationId],
    );
    if (!row) throw notFound('Shelter');
    return this.present(row);
  }

  /** Sets (or, with null, removes) the shelter's webhook address. */
  async set(actor: Actor, shelterId: string, url: string | null): Promise<ShelterWebhook> {
    assertRole(actor, Role.SHELTER_STAFF);
    const checked = url === null ? null : this.checkUrl(url);
    return this.update(actor, shelterId, `webhook_url = $3`, [checked]);
  }

  /** A new signing secret, e.g. after someone who knew the old one left; the old one stops working at once. */
  async rotateSecret(actor: Actor, shelterId: string): Promise<ShelterWebhook> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.update(actor, shelterId, `webhook_secret_version = webhook_secret_version + 1`, []);
  }

  private async update(
    actor: Actor,
    shelterId: string,
    assignment: string,
    params: unknown[],
  ): Promise<ShelterWebhook> {
    const [row] = await queryRows<WebhookRow>(
      this.db.manager,
      `UPDATE shelter SET ${assignment}, updated_at = now() WHERE id = $1 AND organisation_id = $2
       RETURNING id, webhook_url, webhook_secret_version`,
      [shelterId, actor.organisationId, ...params],
    );
    if (!row) throw notFound('Shelter');
    return this.present(row);
  }

  private checkUrl(value: string): string {
    if (value.length > 2048) throw badInput('url', 'must be at most 2048 characters');
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw badInput('url', 'must be an absolute URL');
    }
    if (url.username || url.password) throw badInput('url', 'must not carry a user name or password');
    if (this.config.isProduction) {
      if (url.protocol !== 'https:') throw badInput('url', 'must use https');
      if (!this.config.env.WEBHOOK_PORTS.includes(portOf(url)))
        throw badInput('url', `must use port ${this.config.env.WEBHOOK_PORTS.join(' or ')}`);
    } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw badInput('url', 'must use https (or http outside production)');
    }
    // checked again, on every address the name resolves to, each time a call is made
    if (isRefusedHost(url.hostname, this.reach)) {
      throw badInput(
        'url',
        this.config.isProduction ? 'must be a public address' : 'must not be a link-local or metadata address',
      );
    }
    return url.toString();
  }

  /** Production calls public addresses only; development and test mode this machine too, never link-local. */
  private get reach(): WebhookReach {
    return this.config.isProduction ? 'public' : 'local';
  }

  /**
   * Delivers one notification to its shelter's webhook. Nothing to do when the shelter has no webhook or it was
   * delivered already (a retried job). A failure throws, so BullMQ retries; logs name ids and status only.
   */
  async deliver(notificationId: string): Promise<'delivered' | 'skipped'> {
    const [n] = await this.db.query<DeliveryRow[]>(
      `SELECT n.id, n.shelter_id, n.kind, n.message, n.created_at, s.webhook_url, s.webhook_secret_version,
              n.webhook_delivered_at
         FROM notification n JOIN shelter s ON s.id = n.shelter_id WHERE n.id = $1`,
      [notificationId],
    );
    if (!n?.webhook_url || n.webhook_delivered_at) return 'skipped';
    const body = JSON.stringify({
      id: n.id,
      type: n.kind,
      shelterId: n.shelter_id,
      message: n.message,
      createdAt: new Date(n.created_at).toISOString(),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'ShelterLink-Webhook/1',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: webhookSignature(this.secretFor(n.shelter_id, n.webhook_secret_version), timestamp, body),
    };
    const url = new URL(n.webhook_url);
    // a URL stored under other rules (or by hand) is held to today's: https only in production
    if (this.config.isProduction && url.protocol !== 'https:') {
      this.logger.warn({ notificationId, shelterId: n.shelter_id }, 'webhook refused: not https');
      throw new Error('webhook is not https');
    }
    const status = await postJson(url, headers, body, {
      timeoutMs: this.config.env.WEBHOOK_TIMEOUT_MS,
      // outside production, tests and local receivers live on this machine
      reach: this.reach,
      ports: this.config.isProduction ? this.config.env.WEBHOOK_PORTS : undefined,
    }).catch((error: unknown) => {
      const e = error as { name?: string; code?: string };
      this.logger.warn(
        { notificationId, shelterId: n.shelter_id, err: { type: e?.name, code: e?.code } },
        'webhook unreachable',
      );
      throw new Error('webhook unreachable');
    });
    if (status < 200 || status >= 300) {
      this.logger.warn({ notificationId, shelterId: n.shelter_id, status }, 'webhook refused');
      throw new Error(`webhook answered ${status}`);
    }
    await this.db.query(`UPDATE notification SET webhook_delivered_at = now() WHERE id = $1`, [n.id]);
    return 'delivered';
  }
}
