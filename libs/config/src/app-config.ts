import { createHmac } from 'node:crypto';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  /**
   * Production unless development (or test) mode is asked for explicitly: only then may the published development
   * secrets stand in for real ones, and then the API serves this machine only (loopback).
   */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Default: every interface in production, loopback in development and test (which may not serve others). */
  HOST: z.string().min(1).optional(),
  /** The HTTP platform under Apollo; see the search benchmark in the README for why the default. */
  HTTP_ADAPTER: z.enum(['fastify', 'express']).default('fastify'),
  /** The application's connection: a role with only the rights it needs (`migrate` creates and grants it). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://shelterlink_app@127.0.0.1:5432/shelterlink'),
  /** The database owner's connection, for `migrate` and `seed-demo` only; the API and the worker never use it. */
  DATABASE_OWNER_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /**
   * Bounds on the application's own connection, so nothing waits long and nothing commits after a client gave up:
   * one statement (statement_timeout), one wait for a row lock (lock_timeout), a transaction left idle
   * (idle_in_transaction_session_timeout), a whole transaction (checked before its COMMIT), and the wait for a
   * connection from the pool. Past any of them the request answers SERVICE_UNAVAILABLE (retry) and nothing of it
   * was committed. The owner's connection (migrate, seed-demo) has none.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DATABASE_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(8000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/i)
    .default('shelterlink'),
  /**
   * The longest a request waits for one Redis command (rate limits, live events, health); past it the command
   * fails and the request goes on without it or answers SERVICE_UNAVAILABLE. Queue workers wait on their own terms.
   */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  /** The longest pause between two attempts to reconnect to Redis, on every connection (BullMQ's included). */
  REDIS_RECONNECT_MAX_MS: z.coerce.number().int().min(50).max(30_000).default(1000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /**
   * A sign-in's refresh cookie renews its access token (renewSession) for at most this many days; then the password
   * is asked for again.
   */
  REFRESH_TOKEN_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** A sign-in not renewed for this many hours (the app closed) ends sooner than REFRESH_TOKEN_DAYS. */
  REFRESH_IDLE_HOURS: z.coerce.number().int().min(1).max(2160).default(72),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  LOGIN_BLOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /**
   * The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma separated). None by
   * default: the client address is then the connection's, and a forged header changes nothing.
   */
  TRUSTED_PROXIES: z
    .string()
    .regex(/^[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*$/, { message: 'must be IP addresses or CIDR ranges, comma separated' })
    .optional(),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(8),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(10).default(2000),
  /** Per document, checked before execution: lexical tokens, and per operation fields, aliases and directives. */
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(10_000),
  GRAPHQL_MAX_FIELDS: z.coerce.number().int().min(10).default(500),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  /** Searches and reports one operation may run (each also costs its statement in GRAPHQL_MAX_COMPLEXITY). */
  GRAPHQL_MAX_EXPENSIVE_FIELDS: z.coerce.number().int().min(1).default(3),
  GRAPHQL_INTROSPECTION: bool.optional(),
  STALE_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 60),
  SEARCH_CANDIDATE_LIMIT: z.coerce.number().int().min(10).max(10_000).default(400),
  /** Identity encryption keys, `kid:base64-of-32-bytes` separated by commas; the first encrypts. */
  IDENTITY_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/, {
      message: 'must be kid:base64key pairs separated by commas, each key 32 bytes',
    })
    .optional(),
  CONSENT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  CONSENT_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  /** How long a waitlisted referral may wait before it is closed, per urgency. */
  WAITLIST_TONIGHT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(12 * 3600),
  WAITLIST_72_HOURS_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(72 * 3600),
  WAITLIST_PLANNED_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(14 * 24 * 3600),
  IDENTITY_PURGE_DAYS: z.coerce.number().int().min(0).default(30),
  /** The furthest back a count change queued offline may say it was made (`madeAt` on adjustBeds, setBedCounts). */
  OFFLINE_CHANGE_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  /** How long an idempotency key and the first answer kept with it last: at least the 7 days clients may retry in. */
  IDEMPOTENCY_KEY_DAYS: z.coerce.number().int().min(7).max(90).default(7),
  /** Length of a shelter-set "minute" (hold and response times) in ms; tests shorten it. */
  WORKFLOW_MINUTE_MS: z.coerce.number().int().min(10).default(60_000),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(500),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * A MATCHING referral untouched this long has lost its match job (never relayed, lost by Redis, or failed for good
   * during an outage): the sweeper matches it itself.
   */
  MATCHING_STUCK_SECONDS: z.coerce.number().int().min(1).default(30),
  /**
   * A running job's lock in the worker (renewed at half this while the worker lives) and how often workers look
   * for jobs whose lock lapsed: a dead worker's jobs run again within about the sum. Jobs here take well under a
   * second, so BullMQ's 30 s defaults would only keep a survivor waiting.
   */
  /** After SIGTERM or SIGINT, the longest the API or the worker takes to stop before it exits regardless. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1000).default(10_000),
  WORKER_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(10_000),
  WORKER_STALLED_CHECK_MS: z.coerce.number().int().min(500).default(5_000),
  /** How often the repeatable job looks for stale counts and reminds their shelters' staff. */
  STALE_REMINDER_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15 * 60_000),
  /** How long a `regionCapacity` answer is reused when no bed count changed; 0 turns the cache off. */
  REGION_CAPACITY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Small-cell suppression: in statistics about referrals, counts from 1 to k − 1 read "fewer than k". */
  SMALL_CELL_K: z.coerce.number().int().min(2).max(100).default(5),
  /**
   * Signs webhook calls to shelters' own systems: each shelter's secret is HMAC-SHA256(key, shelter id and its
   * secret version), shown to its own staff. Required in production.
   */
  WEBHOOK_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** The ports a production webhook may call, comma-separated (development and test mode take any port). */
  WEBHOOK_PORTS: z
    .string()
    .regex(/^\d{1,5}(,\d{1,5})*$/, 'must be port numbers separated by commas')
    .default('443')
    .transform((list) => list.split(',').map(Number))
    .refine((ports) => ports.every((port) => port >= 1 && port <= 65_535), 'ports run from 1 to 65535'),
  /** The first retry of a failed webhook call; each next one waits twice as long (12 tries in all). */
  WEBHOOK_RETRY_DELAY_MS: z.coerce.number().int().min(10).default(30_000),
  /** Sockets one user may hold open at once, per API process; more are closed with 4429. */
  WS_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
  /** Operations (subscriptions above all) one socket may have running at once; more are RATE_LIMITED. */
  WS_MAX_OPERATIONS_PER_SOCKET: z.coerce.number().int().min(1).max(1000).default(20),
  /** The largest WebSocket frame read; a larger one closes the socket (1009) before it is parsed. */
  WS_MAX_FRAME_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /**
   * /metrics answers only a scraper presenting it as a Bearer token (live referral counts are nobody else's
   * business). Required in production; unset in development or test, /metrics answers anyone on loopback.
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Path of the generated SDL, or `memory` to write none (tests). */
  SCHEMA_FILE: z.string().min(1).optional(),
});

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {}

/**
 * Required unless development mode is asked for: the secrets that have published development stand-ins, and the
 * token without which /metrics would answer anyone.
 */
const SECRETS = ['JWT_SECRET', 'IDENTITY_KEYS', 'WEBHOOK_SIGNING_KEY', 'METRICS_TOKEN'] as const;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Development or test mode, asked for explicitly with NODE_ENV. */
const isDevelopmentMode = (nodeEnv: string | undefined) => nodeEnv === 'development' || nodeEnv === 'test';

/** Parses the environment once; the message names every missing or invalid variable (never its value). */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  const lines = result.success ? [] : result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  // checked apart from the schema, so they are reported together with any other problem
  if (!isDevelopmentMode(source.NODE_ENV)) {
    for (const name of SECRETS) {
      if (!source[name]) lines.push(`  ${name}: is required (or set NODE_ENV=development for local development)`);
    }
  } else if (source.HOST && !LOOPBACK.has(source.HOST)) {
    lines.push(`  HOST: development and test mode serve this machine only (127.0.0.1, ::1 or localhost)`);
  }
  if (!result.success || lines.length > 0) throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  return result.data;
}

// published stand-ins, for development and test mode only (parseEnv requires real ones in every other mode)
const DEV_JWT_SECRET = 'development-only-secret-change-me-0123456789';
const DEV_WEBHOOK_SIGNING_KEY = 'development-only-webhook-key-0123456789';
const DEV_IDENTITY_KEYS = 'dev1:ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=';

/** Typed, validated configuration. The only place that reads process.env. */
export class AppConfig {
  readonly env: Env;

  constructor(source: NodeJS.ProcessEnv = process.env) {
    this.env = parseEnv(source);
  }

  /** The owner's connection, for the operator's commands; a ConfigError when it is not set. */
  get ownerDatabaseUrl(): string {
    if (!this.env.DATABASE_OWNER_URL) {
      throw new ConfigError(
        'Invalid configuration:\n  DATABASE_OWNER_URL: is required by migrate and seed-demo (they run as the ' +
          "database's owner; DATABASE_URL names the application's own role)",
      );
    }
    return this.env.DATABASE_OWNER_URL;
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  /** Where the API listens: HOST, else every interface in production and loopback in development or test. */
  get host(): string {
    return this.env.HOST ?? (this.isProduction ? '0.0.0.0' : '127.0.0.1');
  }

  get jwtSecret(): string {
    return this.env.JWT_SECRET ?? DEV_JWT_SECRET;
  }

  /**
   * A keyed hash (HMAC-SHA256 under the JWT secret) standing for a value that must not be kept: what was typed as
   * an email at a failed sign-in (a password typed in the wrong field among them), a client address in a limiter's
   * key. Unlike a plain hash, nobody without the secret can test guesses against it.
   */
  pseudonym(purpose: string, value: string): string {
    return createHmac('sha256', this.jwtSecret).update(`${purpose}:${value}`).digest('base64url');
  }

  get webhookSigningKey(): string {
    return this.env.WEBHOOK_SIGNING_KEY ?? DEV_WEBHOOK_SIGNING_KEY;
  }

  /** Identity keys by id; the first is the one new ciphertexts use. */
  get identityKeys(): { current: string; keys: Map<string, Buffer> } {
    const pairs = (this.env.IDENTITY_KEYS ?? DEV_IDENTITY_KEYS).split(',').map((pair) => {
      const [kid, key] = pair.split(':');
      return [kid, Buffer.from(key, 'base64')] as const;
    });
    return { current: pairs[0][0], keys: new Map(pairs) };
  }

  get introspection(): boolean {
    return this.env.GRAPHQL_INTROSPECTION ?? !this.isProduction;
  }

  /** Where the generated SDL is written: the committed file outside production. */
  get schemaFile(): string | true {
    if (this.env.SCHEMA_FILE === 'memory') return true;
    if (this.env.SCHEMA_FILE) return this.env.SCHEMA_FILE;
    return this.isProduction ? true : 'apps/api/schema.gql';
  }

  /** Reverse proxies trusted to say who the client is (X-Forwarded-For); none unless configured. */
  get trustedProxies(): string[] {
    return this.env.TRUSTED_PROXIES?.split(',') ?? [];
  }

  /** What one GraphQL operation may ask for, checked before it runs (HTTP and WebSocket alike). */
  get operationLimits() {
    const e = this.env;
    return {
      depth: e.GRAPHQL_MAX_DEPTH,
      complexity: e.GRAPHQL_MAX_COMPLEXITY,
      expensive: e.GRAPHQL_MAX_EXPENSIVE_FIELDS,
      tokens: e.GRAPHQL_MAX_TOKENS,
      shape: { fields: e.GRAPHQL_MAX_FIELDS, aliases: e.GRAPHQL_MAX_ALIASES, directives: e.GRAPHQL_MAX_DIRECTIVES },
    };
  }

  redisKey(...parts: string[]): string {
    return [this.env.REDIS_PREFIX, ...parts].join(':');
  }
}
