import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MetricsService } from './metrics.service';

/** The paths the API serves; anything else is counted as `other`, so a scan cannot grow the label set. */
const ROUTES = ['/graphql', '/health/live', '/health/ready', '/metrics', '/queues'];

function routeOf(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return ROUTES.find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
}

/** Times every HTTP request (Express and Fastify alike: Nest hands both the raw request and response). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void {
    const end = this.metrics.http.startTimer({
      method: req.method ?? 'OTHER',
      route: routeOf(req.originalUrl ?? req.url),
    });
    res.once('finish', () => end({ status: String(res.statusCode) }));
    next();
  }
}
