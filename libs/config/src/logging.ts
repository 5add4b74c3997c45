import type { Params } from 'nestjs-pino';
import { AppConfig } from './app-config';

/**
 * Paths pino censors wherever they appear in a log line: secrets, and anything that could be survivor data
 * or a confidential address. Request bodies and GraphQL variables are never logged at all.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.authorization',
  '*.identity',
  '*.name',
  '*.dateOfBirth',
  '*.phone',
  '*.intakePhone',
  '*.address',
  '*.notes',
  '*.email',
  '*.variables',
  '*.query',
];

export function loggerParams(config: AppConfig, name: string): Params {
  return {
    // every route, on both HTTP adapters: the library's default pattern matches none under Fastify
    forRoutes: ['*'],
    pinoHttp: {
      name,
      level: config.env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // the URL path only: query strings may carry data
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split('?')[0],
        }),
      },
      // Fastify's middleware sees the URL below the mount point, the whole URL in originalUrl
      autoLogging: {
        ignore: (req) => ((req as { originalUrl?: string }).originalUrl ?? req.url)?.startsWith('/health') ?? false,
      },
    },
  };
}
