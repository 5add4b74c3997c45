import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { queryRows } from '@shelterlink/database';
import type { Role } from '@shelterlink/common';
import { PUB_SUB, Topics } from '@shelterlink/queue';

/** What a sessions-ended announcement carries: the user, and the one sign-in that ended (none: all of them). */
export interface SessionsEnded {
  userId: string;
  familyId?: string;
}

/** Why a sign-in ended (refresh_session.revoked_reason). */
export type RefreshEnd = 'SIGNED_OUT' | 'REUSED' | 'SESSIONS_ENDED' | 'LAPSED';

/** A refresh token just issued: for the cookie only (its value is never stored). */
export interface IssuedRefresh {
  token: string;
  familyId: string;
  expiresAt: Date;
}

/** What presenting a refresh token came to. */
export type Rotation =
  /** No such token: a guess, or one purged long ago. */
  | { outcome: 'unknown' }
  /** Its sign-in has ended (signed out, expired or idle, the user's sessions ended). */
  | { outcome: 'ended'; userId: string }
  /** A token already replaced, presented again after the grace: its sign-in is ended now. */
  | { outcome: 'reused'; userId: string; role: Role; organisationId: string | null; familyId: string }
  | { outcome: 'renewed'; userId: string; sessionVersion: number; refresh: IssuedRefresh };

/**
 * Two tabs of one browser renewing at the same moment send the same cookie: the second, within this many seconds
 * of the first, receives the same successor rather than ending the sign-in as a theft would.
 */
export const REUSE_GRACE_SECONDS = 10;

/** A finished sign-in's rows are kept this long (a late reuse is still recognised), then purged. */
export const REFRESH_KEEP_DAYS = 3;

interface PresentedRow {
  id: string;
  user_id: string;
  family_id: string;
  session_version: number;
  expires_at: Date;
  revoked_at: Date | null;
  replaced_by: string | null;
  active: boolean;
  current_version: number;
  role: Role;
  organisation_id: string | null;
  lapsed: boolean;
  in_grace: boolean;
}

/**
 * Refresh tokens: opaque, 32 random bytes, kept only as a keyed hash (`pseudonym`), one family per sign-in. Each
 * renewal replaces the presented token by its successor, which is derived from it by a keyed hash: only the holder
 * of a token (and the server) can know its successor, so two tabs renewing at once with one token can be given the
 * same successor without the server keeping any token. Every deadline is judged by the database's clock.
 */
@Injectable()
export class RefreshSessionsService {
  private readonly logger = new Logger(RefreshSessionsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
  ) {}

  /** A new sign-in's first token. */
  async issue(userId: string, sessionVersion: number): Promise<IssuedRefresh> {
    const token = randomBytes(32).toString('base64url');
    const [row] = await this.db.query<{ family_id: string; expires_at: Date }[]>(
      `INSERT INTO refresh_session (user_id, token_hash, family_id, session_version, expires_at)
       VALUES ($1, $2, gen_random_uuid(), $3, clock_timestamp() + make_interval(days => $4))
       RETURNING family_id, expires_at`,
      [userId, this.hash(token), sessionVersion, this.config.env.REFRESH_TOKEN_DAYS],
    );
    return { token, familyId: row.family_id, expiresAt: row.expires_at };
  }

  /**
   * Presents a token: replaced by its successor when it is its sign-in's current one; refused when its sign-in
   * ended, expired, sat idle past REFRESH_IDLE_HOURS, or its user's sessions ended since it was issued (the sign-in
   * is ended then too); a replaced token again after REUSE_GRACE_SECONDS ends its whole sign-in.
   */
  async rotate(token: string): Promise<Rotation> {
    const rotation = await this.db.transaction(async (tx): Promise<Rotation> => {
      const [row] = await tx.query<PresentedRow[]>(
        `SELECT s.id, s.user_id, s.family_id, s.session_version, s.expires_at, s.revoked_at, s.replaced_by,
                u.active, u.session_version AS current_version, u.role, u.organisation_id,
                s.expires_at <= clock_timestamp()
                  OR (s.replaced_by IS NULL AND s.created_at <= clock_timestamp() - make_interval(hours => $2))
                  AS lapsed,
                s.replaced_at > clock_timestamp() - make_interval(secs => $3) AS in_grace
           FROM refresh_session s JOIN app_user u ON u.id = s.user_id
          WHERE s.token_hash = $1
          FOR UPDATE OF s`,
        [this.hash(token), this.config.env.REFRESH_IDLE_HOURS, REUSE_GRACE_SECONDS],
      );
      if (!row) return { outcome: 'unknown' };
      const ended = { outcome: 'ended', userId: row.user_id } as const;
      if (row.revoked_at) return ended;
      if (!row.active || row.current_version !== row.session_version) {
        await this.endFamily(tx, row.family_id, 'SESSIONS_ENDED');
        return ended;
      }
      if (row.lapsed) {
        await this.endFamily(tx, row.family_id, 'LAPSED');
        return ended;
      }
      const successor = this.successorOf(token);
      if (row.replaced_by) {
        const [next] = await tx.query<{ current: boolean }[]>(
          `SELECT revoked_at IS NULL AND replaced_by IS NULL AS current FROM refresh_session WHERE id = $1 FOR UPDATE`,
          [row.replaced_by],
        );
        if (!row.in_grace || !next?.current) {
          await this.endFamily(tx, row.family_id, 'REUSED');
          const { user_id: userId, role, organisation_id: organisationId, family_id: familyId } = row;
          return { outcome: 'reused', userId, role, organisationId, familyId };
        }
        await tx.query(`UPDATE refresh_session SET last_used_at = clock_timestamp() WHERE id = $1`, [row.replaced_by]);
      } else {
        const [next] = await queryRows<{ id: string }>(
          tx,
          `INSERT INTO refresh_session (user_id, token_hash, family_id, session_version, expires_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [row.user_id, this.hash(successor), row.family_id, row.session_version, row.expires_at],
        );
        await tx.query(
          `UPDATE refresh_session SET replaced_by = $2, replaced_at = clock_timestamp(), last_used_at = clock_timestamp()
            WHERE id = $1`,
          [row.id, next.id],
        );
      }
      return {
        outcome: 'renewed',
        userId: row.user_id,
        sessionVersion: row.current_version,
        refresh: { token: successor, familyId: row.family_id, expiresAt: row.expires_at },
      };
    });
    if (rotation.outcome === 'reused') await this.announceEnded(rotation.userId, rotation.familyId);
    return rotation;
  }

  /**
   * After the commit: every API process closes the sockets of the sign-in that ended (`familyId`), or of every
   * sign-in of the user, with code 4401. Their tokens are refused already; if the announcement is lost, the sockets
   * stop at the next event (a user's sessions) or at the token's expiry (one sign-in).
   */
  async announceEnded(userId: string, familyId?: string): Promise<void> {
    await this.pubSub
      .publish(Topics.sessionsEnded(this.config), { userId, ...(familyId ? { familyId } : {}) } satisfies SessionsEnded)
      .catch((error: unknown) =>
        this.logger.warn({ err: { type: (error as Error)?.name } }, 'sessions end not announced'),
      );
  }

  /** The sign-in a token belongs to, when it is `userId`'s (whatever its state), else null. */
  async familyOf(token: string, userId?: string): Promise<{ familyId: string; userId: string } | null> {
    const [row] = await this.db.query<{ family_id: string; user_id: string }[]>(
      `SELECT family_id, user_id FROM refresh_session WHERE token_hash = $1`,
      [this.hash(token)],
    );
    if (!row || (userId !== undefined && row.user_id !== userId)) return null;
    return { familyId: row.family_id, userId: row.user_id };
  }

  /** Ends these sign-ins of `userId`; the number of tokens that were still live. */
  async end(m: EntityManager, userId: string, familyIds: readonly string[], why: RefreshEnd): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      m,
      `UPDATE refresh_session SET revoked_at = clock_timestamp(), revoked_reason = $3
        WHERE user_id = $1 AND family_id = ANY ($2::uuid[]) AND revoked_at IS NULL RETURNING id`,
      [userId, familyIds, why],
    );
    return rows.length;
  }

  /** Ends every sign-in of the user (a new password, new regions, deactivation, "sign out everywhere"). */
  async endAll(m: EntityManager, userId: string): Promise<void> {
    await m.query(
      `UPDATE refresh_session SET revoked_at = clock_timestamp(), revoked_reason = 'SESSIONS_ENDED'
        WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
  }

  /** Deletes, a batch at a time, the rows of sign-ins that ended or expired REFRESH_KEEP_DAYS ago. */
  async purge(): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.db.manager,
      `DELETE FROM refresh_session WHERE id = ANY (ARRAY(
         SELECT id FROM refresh_session
          WHERE expires_at < clock_timestamp() - make_interval(days => $1)
             OR revoked_at < clock_timestamp() - make_interval(days => $1)
          LIMIT 1000))
       RETURNING id`,
      [REFRESH_KEEP_DAYS],
    );
    return rows.length;
  }

  private async endFamily(tx: EntityManager, familyId: string, why: RefreshEnd): Promise<void> {
    await tx.query(
      `UPDATE refresh_session SET revoked_at = clock_timestamp(), revoked_reason = $2
        WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId, why],
    );
  }

  /** What is stored for a token: a keyed hash, so a copy of the table renews nothing. */
  private hash(token: string): string {
    return this.config.pseudonym('refresh token', token);
  }

  /** The token that replaces `token`: 32 bytes nobody can work out without both `token` and the server's key. */
  private successorOf(token: string): string {
    return this.config.pseudonym('refresh successor', token);
  }
}
