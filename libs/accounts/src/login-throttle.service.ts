import { Inject, Injectable, Logger } from '@nestjs/common';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@shelterlink/config';
import { DomainError } from '@shelterlink/common';
import { REDIS } from '@shelterlink/queue';

/** How long an address stays known for an account after a successful sign-in from it. */
const KNOWN_ADDRESS_DAYS = 30;
/** The longest a sign-in from a known address waits while its account is under attack. */
const MAX_DELAY_MS = 8_000;

/** One sign-in attempt, counted before its password is checked; tell it how it ended. */
export interface LoginAttempt {
  /** The password was right: this attempt's own counts are given back (never anyone else's) and the address known. */
  succeeded(): Promise<void>;
}

/**
 * Counts sign-in attempts in Redis (shared by every API process), atomically and before the password is checked,
 * so parallel guesses cannot outrun the limit:
 * - per client address (LOGIN_MAX_FAILURES_PER_ADDRESS per LOGIN_BLOCK_SECONDS): past it, the address is refused;
 * - per account (LOGIN_MAX_FAILURES_PER_ACCOUNT): past it, the account is under attack: attempts from addresses
 *   that never signed in to it are refused, while one from an address it signed in from before (known for 30
 *   days) still gets through after a delay that doubles with every further failure (at most 8 s), so guessing a
 *   named advocate's password cannot lock her out of her own desk.
 * A successful sign-in gives back only its own attempt's counts: it never wipes the failures (so a dashboard that
 * signs in on every poll does not hide guesses made between its polls). Keys are keyed hashes (`pseudonym`), never
 * emails or addresses; IPv6 addresses count by their /64 (`addressBlock`).
 * While Redis does not answer (each command waits at most REDIS_COMMAND_TIMEOUT_MS), the same limits are counted
 * in this process's memory instead (the library's insurance limiter), no address counts as known, and sign-in
 * goes on: an outage neither opens the door to guessing nor locks everyone out.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);
  private readonly byAccount: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {
    const { LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_BLOCK_SECONDS } = config.env;
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: config.redisKey('login', name),
        points,
        duration: LOGIN_BLOCK_SECONDS,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: LOGIN_BLOCK_SECONDS }),
      });
    this.byAccount = limiter('account', LOGIN_MAX_FAILURES_PER_ACCOUNT);
    this.byAddress = limiter('address', LOGIN_MAX_FAILURES_PER_ADDRESS);
  }

  /** Counts the attempt; refuses it (TOO_MANY_ATTEMPTS) or delays it as above. */
  async begin(email: string, address: string): Promise<LoginAttempt> {
    const account = this.config.pseudonym('sign-in account', email);
    const from = this.config.pseudonym('sign-in address', addressBlock(address));
    const overAddress = await consume(this.byAddress, from);
    if (overAddress) throw tooMany(overAddress.msBeforeNext);
    const overAccount = await consume(this.byAccount, account);
    if (overAccount) {
      if (!(await this.isKnown(account, from))) throw tooMany(overAccount.msBeforeNext);
      const beyond = overAccount.consumedPoints - this.byAccount.points;
      await sleep(Math.min(MAX_DELAY_MS, 250 * 2 ** Math.min(beyond, 6)));
    }
    return {
      succeeded: async () => {
        await Promise.all([this.byAddress.reward(from, 1), this.byAccount.reward(account, 1)]);
        const key = this.knownKey(account);
        await this.redis
          .multi()
          .sadd(key, from)
          .expire(key, KNOWN_ADDRESS_DAYS * 86_400)
          .exec()
          .catch(() => this.logger.warn('a known sign-in address was not recorded: Redis did not answer'));
      },
    };
  }

  /**
   * A renewal (renewSession) presenting a refresh token, counted like a failed sign-in from its address before the
   * token is looked up; `succeeded` gives the count back when the token was one the server issued, so only guesses
   * count (and, past the limit, the address's renewals and sign-ins are refused alike).
   */
  async beginRenewal(address: string): Promise<LoginAttempt> {
    const from = this.config.pseudonym('sign-in address', addressBlock(address));
    const over = await consume(this.byAddress, from);
    if (over) throw tooMany(over.msBeforeNext);
    return {
      succeeded: async () => {
        await this.byAddress.reward(from, 1);
      },
    };
  }

  /** Unknown when Redis cannot tell: an account under attack then takes no sign-in from an unproven address. */
  private async isKnown(account: string, from: string): Promise<boolean> {
    return (await this.redis.sismember(this.knownKey(account), from).catch(() => 0)) === 1;
  }

  private knownKey(account: string): string {
    return this.config.redisKey('login', 'known', account);
  }
}

/**
 * The block an address is counted in: an IPv4 address alone; an IPv6 address by its /64, the block one client is
 * usually given (so rotating through it does not give a guesser fresh addresses).
 */
export function addressBlock(address: string): string {
  const ip = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (isIP(ip) !== 6) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Consumes one point; returns the limiter's answer when that went past the limit, else null. */
async function consume(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key, 1);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}

function tooMany(msBeforeNext: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}
