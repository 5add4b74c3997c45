import { Controller, Get, Header, Headers, NotFoundException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@shelterlink/config';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrapes /metrics. With METRICS_TOKEN set, only a scraper presenting it as a Bearer token is
 * answered; anyone else finds nothing there.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const expected = this.config.env.METRICS_TOKEN;
    if (expected) {
      const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '');
      const wanted = Buffer.from(expected);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new NotFoundException();
    }
    return this.metrics.render();
  }
}
