import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import { Actor, notFound, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { queryRows } from '@shelterlink/database';
import { OutboxService, PUB_SUB, Topics } from '@shelterlink/queue';

/** What a notification is about: clients word it themselves from this and its fields (`message` is English). */
export enum NotificationKind {
  /** The shelter's counts were last verified at `aboutVerifiedAt`, longer ago than STALE_AFTER_MINUTES. */
  STALE_COUNTS = 'STALE_COUNTS',
}

export interface Notification {
  id: string;
  organisationId: string;
  shelterId: string;
  kind: NotificationKind;
  message: string;
  aboutVerifiedAt: Date | null;
  createdAt: Date;
  readAt: Date | null;
}

interface NotificationRow {
  id: string;
  organisation_id: string;
  shelter_id: string;
  kind: NotificationKind;
  message: string;
  about_verified_at: Date | null;
  created_at: Date;
  read_at: Date | null;
}

const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  organisationId: r.organisation_id,
  shelterId: r.shelter_id,
  kind: r.kind,
  message: r.message,
  aboutVerifiedAt: r.about_verified_at && new Date(r.about_verified_at),
  createdAt: new Date(r.created_at),
  readAt: r.read_at && new Date(r.read_at),
});

const COLUMNS = 'id, organisation_id, shelter_id, kind, message, about_verified_at, created_at, read_at';

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  /** A shelter provider's staff read their organisation's notifications, newest first. */
  async list(actor: Actor, unreadOnly: boolean, first: number): Promise<Notification[]> {
    assertRole(actor, Role.SHELTER_STAFF);
    const rows = await this.db.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM notification
        WHERE organisation_id = $1 AND ($2::boolean IS FALSE OR read_at IS NULL)
        ORDER BY created_at DESC, id LIMIT $3`,
      [actor.organisationId, unreadOnly, first],
    );
    return rows.map(toNotification);
  }

  /** Another organisation's notification is not found. */
  async markRead(actor: Actor, id: string): Promise<Notification> {
    assertRole(actor, Role.SHELTER_STAFF);
    const [row] = await queryRows<NotificationRow>(
      this.db.manager,
      `UPDATE notification SET read_at = coalesce(read_at, now())
        WHERE id = $1 AND organisation_id = $2 RETURNING ${COLUMNS}`,
      [id, actor.organisationId],
    );
    if (!row) throw notFound('Notification');
    return toNotification(row);
  }

  /**
   * Reminds the staff of every active shelter whose counts were not verified within STALE_AFTER_MINUTES: one
   * notification per shelter and stale window (another after each further window), published live to its
   * organisation and, where the shelter set a webhook, to its own system. Idempotent: a second run in the same
   * window adds nothing. Returns the new notifications. `now`: the database's clock unless a test gives one.
   */
  async remindStale(now: Date | null = null): Promise<Notification[]> {
    const windowMinutes = this.config.env.STALE_AFTER_MINUTES;
    const { rows, outbox } = await this.db.transaction(async (tx) => {
      const inserted = await queryRows<NotificationRow & { has_webhook: boolean }>(
        tx,
        `INSERT INTO notification (organisation_id, shelter_id, kind, message, about_verified_at, stale_window)
         SELECT s.organisation_id, s.id, 'STALE_COUNTS',
                'The bed counts of ' || s.name || ' were last verified ' ||
                  to_char(s.availability_verified_at AT TIME ZONE s.time_zone, 'YYYY-MM-DD HH24:MI') ||
                  ': please confirm or update them.',
                s.availability_verified_at,
                floor(extract(epoch FROM t.now - s.availability_verified_at) / 60 / $2::int)::int
           FROM shelter s CROSS JOIN (SELECT coalesce($1::timestamptz, clock_timestamp()) AS now) t
          WHERE s.status = 'ACTIVE' AND s.availability_verified_at <= t.now - make_interval(mins => $2::int)
         ON CONFLICT (shelter_id, kind, about_verified_at, stale_window) DO NOTHING
         RETURNING ${COLUMNS}, (SELECT s.webhook_url IS NOT NULL FROM shelter s WHERE s.id = shelter_id) AS has_webhook`,
        [now, windowMinutes],
      );
      // the shelter's own system is told too, by the worker (ids only in the job)
      const ids: string[] = [];
      for (const n of inserted.filter((r) => r.has_webhook))
        ids.push(await this.outbox.enqueue(tx, 'notification.webhook', { notificationId: n.id }));
      return { rows: inserted, outbox: ids };
    });
    await this.outbox.relay(outbox);
    const created = rows.map(toNotification);
    await Promise.all(created.map((n) => this.pubSub.publish(Topics.notification(this.config, n.organisationId), n)));
    return created;
  }
}
