import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@shelterlink/config';
import { DomainError } from '@shelterlink/common';
import { REDIS } from '@shelterlink/queue';

/**
 * Counts failed logins per account and per client address in Redis (shared by every API process).
 * Past the limit, the account or address is refused for LOGIN_BLOCK_SECONDS, whatever the password.
 */
@Injectable()
export class LoginThrottleService {
  private readonly byAccount: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    const { LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_BLOCK_SECONDS } = config.env;
    const common = { storeClient: redis, duration: LOGIN_BLOCK_SECONDS, blockDuration: LOGIN_BLOCK_SECONDS };
    this.byAccount = new RateLimiterRedis({
      ...common,
      keyPrefix: config.redisKey('login-fail', 'account'),
      points: LOGIN_MAX_FAILURES_PER_ACCOUNT,
    });
    this.byAddress = new RateLimiterRedis({
      ...common,
      keyPrefix: config.redisKey('login-fail', 'address'),
      points: LOGIN_MAX_FAILURES_PER_ADDRESS,
    });
  }

  /** Refuses the attempt before the password is checked when either key is used up. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [account, addr] = await Promise.all([this.byAccount.get(email), this.byAddress.get(address)]);
    const blocked = [account, addr].filter(
      (r, i): r is RateLimiterRes =>
        r !== null && r.consumedPoints >= (i === 0 ? this.byAccount.points : this.byAddress.points),
    );
    if (blocked.length > 0) throw tooMany(Math.max(...blocked.map((r) => r.msBeforeNext)));
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([
      this.byAccount.consume(email, 1).catch(() => undefined),
      this.byAddress.consume(address, 1).catch(() => undefined),
    ]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }
}

function tooMany(msBeforeNext: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError('TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}
