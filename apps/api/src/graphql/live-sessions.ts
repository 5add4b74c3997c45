import {
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { WebSocket, WebSocketServer } from 'ws';
import { AccountsModule, AuthService, SessionsEnded, TokenClaims } from '@shelterlink/accounts';
import { AppConfig } from '@shelterlink/config';
import { LiveInterruptions, PUB_SUB, subscribeWhenReady, Topics } from '@shelterlink/queue';

/**
 * Close codes a client sees on its socket, besides graphql-ws's own (4403: no or bad token at connect):
 * after 4401 renew the token (renewSession; sign in again when that is refused) and reconnect with the new one;
 * close another socket first after 4429.
 */
export const SOCKET_CLOSE = {
  SESSION_ENDED: { code: 4401, reason: 'Session ended: renew the token or sign in again' },
  TOO_MANY_SOCKETS: { code: 4429, reason: 'Too many sockets for this user' },
  /** Live events may have been missed (a Redis outage, here or in a process that publishes): reconnect, refetch. */
  EVENTS_MISSED: { code: 1012, reason: 'Live updates were interrupted: reconnect and refetch' },
} as const;

/** How long a user's current session version is trusted without asking Postgres again. */
const SESSION_CACHE_MS = 30_000;

/**
 * The live side of sessions, per API process: every socket is registered under its user (at most
 * WS_MAX_SOCKETS_PER_USER; more are closed with 4429) and closed with 4401 when its token expires, or at once when
 * the user's sessions end (a sessions-ended announcement through Redis: new password, new regions, deactivation),
 * or the one sign-in its token belongs to ends (sign-out, a refresh token reused).
 * Each live event re-checks the subscriber's session against a per-user cache, so a thousand events to a
 * hundred sockets of one user cost one database read, not a hundred thousand. Frames over WS_MAX_FRAME_BYTES close
 * the socket before they are parsed (code 1009), signed in or not.
 */
@Injectable()
export class LiveSessions implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiveSessions.name);
  private readonly sockets = new Map<string, Set<WebSocket>>();
  /** The sign-in (refresh family) each socket's token belongs to, when it has one. */
  private readonly families = new WeakMap<WebSocket, string>();
  private readonly versions = new Map<string, { version: number | null; until: number }>();
  private subscription: number | null = null;

  constructor(
    private readonly auth: AuthService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
    private readonly interruptions: LiveInterruptions,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await subscribeWhenReady(
      this.pubSub,
      Topics.sessionsEnded(this.config),
      ({ userId, familyId }: SessionsEnded) => this.end(userId, familyId),
    );
    await this.interruptions.listen(() => this.closeAll(SOCKET_CLOSE.EVENTS_MISSED));
  }

  /**
   * Nest's subscription service builds its WebSocketServer without a frame limit (ws defaults to 100 MiB); ws reads
   * `options.maxPayload` at every upgrade, so setting it here bounds every socket from its first frame.
   */
  onApplicationBootstrap(): void {
    const adapter = this.moduleRef.get(GraphQLModule, { strict: false }).graphQlAdapter as unknown as {
      _subscriptionService?: { wss?: WebSocketServer };
    };
    const wss = adapter._subscriptionService?.wss;
    if (!wss) throw new Error('the GraphQL WebSocket server was not found: frames would be unbounded');
    wss.options.maxPayload = this.config.env.WS_MAX_FRAME_BYTES;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.subscription !== null) this.pubSub.unsubscribe(this.subscription);
  }

  /**
   * A new socket of a signed-in user: registered, or closed with 4429 when the user already holds the most
   * allowed. It is closed with 4401 when its token expires.
   */
  register(socket: WebSocket, claims: TokenClaims): boolean {
    const mine = this.sockets.get(claims.sub) ?? new Set<WebSocket>();
    if (mine.size >= this.config.env.WS_MAX_SOCKETS_PER_USER) {
      socket.close(SOCKET_CLOSE.TOO_MANY_SOCKETS.code, SOCKET_CLOSE.TOO_MANY_SOCKETS.reason);
      return false;
    }
    mine.add(socket);
    this.sockets.set(claims.sub, mine);
    if (claims.fam) this.families.set(socket, claims.fam);
    const expiry = setTimeout(
      () => socket.close(SOCKET_CLOSE.SESSION_ENDED.code, SOCKET_CLOSE.SESSION_ENDED.reason),
      Math.max(0, (claims.exp ?? 0) * 1000 - Date.now()),
    );
    expiry.unref();
    socket.once('close', () => {
      clearTimeout(expiry);
      mine.delete(socket);
      if (mine.size === 0) this.sockets.delete(claims.sub);
    });
    return true;
  }

  /** For each live event: the token is unexpired and its session still current (cached per user, see above). */
  async current(claims: TokenClaims): Promise<boolean> {
    if ((claims.exp ?? 0) * 1000 <= Date.now()) return false;
    let cached = this.versions.get(claims.sub);
    if (!cached || cached.until <= Date.now()) {
      cached = { version: await this.auth.sessionVersion(claims.sub), until: Date.now() + SESSION_CACHE_MS };
      this.versions.set(claims.sub, cached);
    }
    return cached.version === claims.ver;
  }

  /** Closes every socket in this process (clients reconnect and refetch what they show). */
  private closeAll(why: { code: number; reason: string }): void {
    for (const mine of this.sockets.values()) for (const socket of mine) socket.close(why.code, why.reason);
  }

  /**
   * The user's sessions ended: forget the cached version and close every socket of theirs in this process; or one
   * sign-in ended (`familyId`): close its sockets only.
   */
  private end(userId: string, familyId?: string): void {
    if (!familyId) this.versions.delete(userId);
    const closing = [...(this.sockets.get(userId) ?? [])].filter(
      (socket) => !familyId || this.families.get(socket) === familyId,
    );
    if (closing.length === 0) return;
    this.logger.log({ sockets: closing.length }, 'sessions ended: closing sockets');
    for (const socket of closing) socket.close(SOCKET_CLOSE.SESSION_ENDED.code, SOCKET_CLOSE.SESSION_ENDED.reason);
  }
}

@Module({
  imports: [AccountsModule],
  providers: [LiveSessions],
  exports: [LiveSessions],
})
export class LiveSessionsModule {}
