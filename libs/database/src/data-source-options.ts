import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { Foundation1764320000000 } from './migrations/1764320000000-foundation';
import { Referrals1764400000000 } from './migrations/1764400000000-referrals';
import { SearchOrder1764500000000 } from './migrations/1764500000000-search-order';
import { Notifications1764600000000 } from './migrations/1764600000000-notifications';
import { MonitoringReports1764700000000 } from './migrations/1764700000000-monitoring-reports';
import { WorkflowInUse1764800000000 } from './migrations/1764800000000-workflow-in-use';
import { Sessions1764900000000 } from './migrations/1764900000000-sessions';
import { AuditEvents1765000000000 } from './migrations/1765000000000-audit-events';
import { EventClock1765100000000 } from './migrations/1765100000000-event-clock';
import { IdempotencyKeys1765200000000 } from './migrations/1765200000000-idempotency-keys';
import { ChangeMadeAt1765300000000 } from './migrations/1765300000000-change-made-at';
import { RefreshSessions1765400000000 } from './migrations/1765400000000-refresh-sessions';
import { EventCodes1765500000000 } from './migrations/1765500000000-event-codes';
import { PoolEvents1765600000000 } from './migrations/1765600000000-pool-events';
import { IdempotencyClaim } from './idempotency';
import { transactionDeadline } from './transaction-deadline';

export const MIGRATIONS = [
  Foundation1764320000000,
  Referrals1764400000000,
  SearchOrder1764500000000,
  Notifications1764600000000,
  MonitoringReports1764700000000,
  WorkflowInUse1764800000000,
  Sessions1764900000000,
  AuditEvents1765000000000,
  EventClock1765100000000,
  IdempotencyKeys1765200000000,
  ChangeMadeAt1765300000000,
  RefreshSessions1765400000000,
  EventCodes1765500000000,
  PoolEvents1765600000000,
];

/**
 * One definition of the connection, shared by the apps, the CLI and the tests. Never `synchronize`. `url`: the
 * application's (DATABASE_URL) unless another is given (the owner's, for the operator's commands).
 */
export function dataSourceOptions(
  config: AppConfig,
  entities: DataSourceOptions['entities'] = [],
  url = config.env.DATABASE_URL,
): DataSourceOptions {
  const env = config.env;
  // the application's connection is bounded (see DATABASE_STATEMENT_TIMEOUT_MS); the owner's runs migrations
  const application = url === env.DATABASE_URL;
  const bounds = application
    ? ` -c statement_timeout=${env.DATABASE_STATEMENT_TIMEOUT_MS} -c lock_timeout=${env.DATABASE_LOCK_TIMEOUT_MS}` +
      ` -c idle_in_transaction_session_timeout=${env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS}`
    : '';
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    subscribers: application ? [transactionDeadline(env.DATABASE_TRANSACTION_TIMEOUT_MS), IdempotencyClaim] : [],
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: env.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
      // the server enforces the bounds above; a server that stops answering (frozen, or cut off) cannot, so the
      // client gives up on a query a little after statement_timeout, and TCP keepalive notices a dead peer
      ...(application ? { query_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS + 2000, keepAlive: true } : {}),
      // PostGIS marks its distance functions expensive, which would trigger JIT (~50% slower) and parallel
      // plans whose start-up costs more than the work (measured in the search benchmark)
      options: `-c jit=off -c max_parallel_workers_per_gather=0${bounds}`,
      application_name: 'shelterlink',
    },
  };
}
