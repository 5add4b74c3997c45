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

export interface TokenClaims {
  sub: string;
  /** The user's session version when the token was issued (see UsersService.endSessions). */
  ver: number;
  exp?: number;
}

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect');

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async login(
    rawEmail: string,
    password: string,
    address: string,
  ): Promise<{ token: string; expiresAt: Date; user: UserEntity }> {
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
    const ttl = this.config.env.JWT_TTL_SECONDS;
    const token = await this.jwt.signAsync({ sub: user.id, ver: user.sessionVersion } satisfies TokenClaims, {
      expiresIn: ttl,
    });
    return { token, expiresAt: new Date(Date.now() + ttl * 1000), user };
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
      return typeof claims.sub === 'string' && Number.isInteger(claims.ver) ? claims : null;
    } catch {
      return null;
    }
  }

  /**
   * Resolves a bearer token to the acting user, or null. The user row is read on every request, so the tokens of
   * a deactivated user, or issued before their session version rose (a new password, new regions), stop at once.
   */
  async actorFromToken(token: string): Promise<Actor | null> {
    const claims = await this.claims(token);
    if (!claims) return null;
    const rows: { id: string; role: Actor['role']; organisation_id: string | null; region_ids: string[] }[] =
      await this.users.query(
        `SELECT u.id, u.role, u.organisation_id,
                COALESCE(array_agg(ur.region_id) FILTER (WHERE ur.region_id IS NOT NULL), '{}') AS region_ids
           FROM app_user u LEFT JOIN user_region ur ON ur.user_id = u.id
          WHERE u.id = $1 AND u.active AND u.session_version = $2
          GROUP BY u.id`,
        [claims.sub, claims.ver],
      );
    const row = rows[0];
    if (!row) return null;
    return { userId: row.id, role: row.role, organisationId: row.organisation_id, regionIds: row.region_ids };
  }
}
