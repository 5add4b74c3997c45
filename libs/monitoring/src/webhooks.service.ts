import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { DataSource } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import { Actor, badInput, notFound, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
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

/** Hosts a production webhook may not name: this machine, private networks, link-local (cloud metadata). */
function isInternalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.internal')) return true;
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  if (isIP(h) === 6) return h === '::1' || h.startsWith('fc') || h.startsWith('fd') || h.startsWith('fe80');
  return false;
}

interface DeliveryRow {
  id: string;
  shelter_id: string;
  kind: string;
  message: string;
  created_at: Date;
  webhook_url: string | null;
  webhook_delivered_at: Date | null;
}

/**
 * A shelter's own system may be told of its notifications (stale-count reminders) by a signed POST. Only the
 * shelter's own staff see or set the address and the secret. The worker delivers (job `notification.webhook`,
 * notification id only), retrying with backoff until the receiver answers 2xx; redirects are not followed.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  secretFor(shelterId: string): string {
    return createHmac('sha256', this.config.webhookSigningKey).update(`shelter-webhook:${shelterId}`).digest('hex');
  }

  async get(actor: Actor, shelterId: string): Promise<ShelterWebhook> {
    assertRole(actor, Role.SHELTER_STAFF);
    const [row] = await this.db.query<{ id: string; webhook_url: string | null }[]>(
      `SELECT id, webhook_url FROM shelter WHERE id = $1 AND organisation_id = $2`,
      [shelterId, actor.organisationId],
    );
    if (!row) throw notFound('Shelter');
    return { shelterId: row.id, url: row.webhook_url, signingSecret: this.secretFor(row.id) };
  }

  /** Sets (or, with null, removes) the shelter's webhook address. */
  async set(actor: Actor, shelterId: string, url: string | null): Promise<ShelterWebhook> {
    assertRole(actor, Role.SHELTER_STAFF);
    const checked = url === null ? null : this.checkUrl(url);
    const [row] = await queryRows<{ id: string; webhook_url: string | null }>(
      this.db.manager,
      `UPDATE shelter SET webhook_url = $3, updated_at = now() WHERE id = $1 AND organisation_id = $2
       RETURNING id, webhook_url`,
      [shelterId, actor.organisationId, checked],
    );
    if (!row) throw notFound('Shelter');
    return { shelterId: row.id, url: row.webhook_url, signingSecret: this.secretFor(row.id) };
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
      if (isInternalHost(url.hostname)) throw badInput('url', 'must be a public address');
    } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw badInput('url', 'must use https (or http outside production)');
    }
    return url.toString();
  }

  /**
   * Delivers one notification to its shelter's webhook. Nothing to do when the shelter has no webhook or it was
   * delivered already (a retried job). A failure throws, so BullMQ retries; logs name ids and status only.
   */
  async deliver(notificationId: string): Promise<'delivered' | 'skipped'> {
    const [n] = await this.db.query<DeliveryRow[]>(
      `SELECT n.id, n.shelter_id, n.kind, n.message, n.created_at, s.webhook_url, n.webhook_delivered_at
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
    const response = await fetch(n.webhook_url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ShelterLink-Webhook/1',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: webhookSignature(this.secretFor(n.shelter_id), timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.config.env.WEBHOOK_TIMEOUT_MS),
    }).catch((error: unknown) => {
      this.logger.warn(
        { notificationId, shelterId: n.shelter_id, err: { type: (error as Error)?.name } },
        'webhook unreachable',
      );
      throw new Error('webhook unreachable');
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) {
      this.logger.warn({ notificationId, shelterId: n.shelter_id, status: response.status }, 'webhook refused');
      throw new Error(`webhook answered ${response.status}`);
    }
    await this.db.query(`UPDATE notification SET webhook_delivered_at = now() WHERE id = $1`, [n.id]);
    return 'delivered';
  }
}
