import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditKind, AuditService } from '@shelterlink/audit';
import { AppConfig } from '@shelterlink/config';
import { Actor, DomainError } from '@shelterlink/common';
import { UserEntity } from './entities/user.entity';
import { LoginThrottleService } from './login-throttle.service';
import { passwords } from './passwords';
import { IssuedRefresh, RefreshSessionsService } from './refresh-sessions.service';

export interface TokenClaims {
  sub: string;
  /** The user's session version when the token was issued (see UsersService.endSessions). */
  ver: number;
  /** The sign-in (refresh family) the token belongs to, when it has one: its end stops the token at once. */
  fam?: string;
  exp?: number;
}

/** An access token, and the refresh token that renews it (null when none could be set: over a WebSocket). */
export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: UserEntity;
  refresh: IssuedRefresh | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect');

/** One answer for every refused renewal, whatever the reason (none, unknown, ended, reused, expired). */
export const sessionEnded = () => new DomainError('UNAUTHENTICATED', 'Session ended: sign in again');

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly refresh: RefreshSessionsService,
  ) {}

  /** `renewable`: start a sign-in that renewSession can renew (over HTTP, where its cookie can be set). */
  async login(rawEmail: string, password: string, address: string, renewable: boolean): Promise<SignedIn> {
    const email = rawEmail.trim().toLowerCase();
    // what was typed as an email may be anything (a password typed in the wrong field): the trail keeps a keyed hash
    const typed = { account: this.config.pseudonym('sign-in account', email).slice(0, 16) };
    // counted before the password is checked: parallel guesses cannot outrun the limit
    const attempt = await this.throttle.begin(email, address).catch(async (error: unknown) => {
      if (error instanceof DomainError && error.code === 'TOO_MANY_ATTEMPTS') {
        await this.audit.record({ kind: AuditKind.LOGIN_THROTTLED, address, detail: typed });
      }
      throw error;
    });
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .addSelect('u.sessionVersion')
      .where('u.email = :email', { email })
      .getOne();
    // one verification of the same cost whether or not the email has an account
    const ok = await passwords.check(user?.passwordHash ?? null, password);
    if (!user || !ok || !user.active) {
      await this.audit.record({
        kind: AuditKind.LOGIN_FAILED,
        address,
        subjectType: user ? 'user' : null,
        subjectId: user?.id ?? null,
        detail: { ...typed, reason: !user ? 'unknown account' : !ok ? 'wrong password' : 'deactivated' },
      });
      throw invalidCredentials();
    }
    await attempt.succeeded();
    await this.audit.record({
      kind: AuditKind.LOGIN_SUCCEEDED,
      actor: { userId: user.id, role: user.role, organisationId: user.organisationId },
      address,
    });
    const refresh = renewable ? await this.refresh.issue(user.id, user.sessionVersion) : null;
    return { ...(await this.accessToken(user.id, user.sessionVersion, refresh?.familyId)), user, refresh };
  }

  /**
   * A new access token for the sign-in `refreshToken` belongs to, and that sign-in's next refresh token (see
   * RefreshSessionsService.rotate). Unknown tokens count against the client address's sign-in limit (a guess);
   * a token already replaced ends its sign-in and is kept in the security trail. Every refusal is the same error.
   */
  async renew(refreshToken: string | null, address: string): Promise<SignedIn> {
    if (!refreshToken) throw sessionEnded();
    const attempt = await this.throttle.beginRenewal(address).catch(async (error: unknown) => {
      if (error instanceof DomainError && error.code === 'TOO_MANY_ATTEMPTS') {
        await this.audit.record({ kind: AuditKind.LOGIN_THROTTLED, address, detail: { operation: 'renewSession' } });
      }
      throw error;
    });
    const rotation = await this.refresh.rotate(refreshToken);
    if (rotation.outcome !== 'unknown') await attempt.succeeded();
    if (rotation.outcome === 'reused') {
      await this.audit.record({
        kind: AuditKind.REFRESH_TOKEN_REUSED,
        actor: { userId: rotation.userId, role: rotation.role, organisationId: rotation.organisationId },
        address,
        subjectType: 'user',
        subjectId: rotation.userId,
      });
    }
    if (rotation.outcome !== 'renewed') throw sessionEnded();
    const user = await this.users.findOneByOrFail({ id: rotation.userId });
    return {
      ...(await this.accessToken(rotation.userId, rotation.sessionVersion, rotation.refresh.familyId)),
      user,
      refresh: rotation.refresh,
    };
  }

  private async accessToken(userId: string, version: number, familyId?: string) {
    const ttl = this.config.env.JWT_TTL_SECONDS;
    const claims: TokenClaims = { sub: userId, ver: version, ...(familyId ? { fam: familyId } : {}) };
    const token = await this.jwt.signAsync(claims, { expiresIn: ttl });
    return { token, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** The user's current session version, or null when the user is unknown or inactive. */
  async sessionVersion(userId: string): Promise<number | null> {
    const [row] = await this.users.query<{ session_version: number }[]>(
      `SELECT session_version FROM app_user WHERE id = $1 AND active`,
      [userId],
    );
    return row?.session_version ?? null;
  }

  /** A token's verified claims (signature and expiry), or null: no database read. */
  async claims(token: string): Promise<TokenClaims | null> {
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(token);
      const family = claims.fam === undefined || (typeof claims.fam === 'string' && UUID.test(claims.fam));
      return typeof claims.sub === 'string' && Number.isInteger(claims.ver) && family ? claims : null;
    } catch {
      return null;
    }
  }

  /**
   * Resolves a bearer token to the acting user, or null. The user row is read on every request, so the tokens of
   * a deactivated user, or issued before their session version rose (a new password, new regions), stop at once.
   */
  async actorFromToken(token: string): Promise<Actor | null> {
    return (await this.authenticate(token))?.actor ?? null;
  }

  /** As actorFromToken, with the sign-in the token belongs to (null for a token of none); its end stops it too. */
  async authenticate(token: string): Promise<{ actor: Actor; familyId: string | null } | null> {
    const claims = await this.claims(token);
    if (!claims) return null;
    const rows: { id: string; role: Actor['role']; organisation_id: string | null; region_ids: string[] }[] =
      await this.users.query(
        `SELECT u.id, u.role, u.organisation_id,
                COALESCE(array_agg(ur.region_id) FILTER (WHERE ur.region_id IS NOT NULL), '{}') AS region_ids
           FROM app_user u LEFT JOIN user_region ur ON ur.user_id = u.id
          WHERE u.id = $1 AND u.active AND u.session_version = $2
            AND NOT EXISTS (SELECT 1 FROM refresh_session f WHERE f.family_id = $3::uuid AND f.revoked_at IS NOT NULL)
          GROUP BY u.id`,
        [claims.sub, claims.ver, claims.fam ?? null],
      );
    const row = rows[0];
    if (!row) return null;
    const actor = { userId: row.id, role: row.role, organisationId: row.organisation_id, regionIds: row.region_ids };
    return { actor, familyId: claims.fam ?? null };
  }
}
