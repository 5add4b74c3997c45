import { Controller, Get, HttpException, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { AppConfig } from '@shelterlink/config';
import { REDIS } from '@shelterlink/queue';

/** How long the readiness probe's key lives (it is written on every check). */
const PROBE_TTL_MS = 10_000;

@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  /** What was down at the last check ('' when ready): a line is logged only when this changes. */
  private lastDown = '';

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** The process is up; says nothing about its dependencies. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready to serve: Postgres answers, and Redis takes a write (a Redis at its memory limit answers PING but
   * refuses every write, and then nothing can be queued or published). Not ready: 503 with Retry-After and which
   * dependency is down, statuses only.
   */
  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      const result = await this.health.check([
        () => this.db.pingCheck('postgres', { timeout: 2000 }),
        async () => {
          const check = this.indicator.check('redis');
          try {
            const key = this.config.redisKey('health', 'probe');
            return (await this.redis.set(key, '1', 'PX', PROBE_TTL_MS)) === 'OK' ? check.up() : check.down();
          } catch {
            return check.down();
          }
        },
      ]);
      this.report([]);
      return result;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const body = error.getResponse() as HealthCheckResult;
      const down = Object.keys(body.error ?? {});
      this.report(down);
      const statuses = Object.fromEntries(Object.entries(body.details).map(([name, { status }]) => [name, { status }]));
      throw new HttpException({ status: 'error', details: statuses, retryAfterSeconds: 5 }, 503);
    }
  }

  private report(down: string[]): void {
    const now = down.join(',');
    if (now === this.lastDown) return;
    if (now) this.logger.warn({ down }, `not ready: ${now} down`);
    else this.logger.log('ready again');
    this.lastDown = now;
  }
}
