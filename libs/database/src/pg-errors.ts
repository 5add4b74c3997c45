import { Logger } from '@nestjs/common';
import { ConnectionState } from '@shelterlink/common';

/** Postgres SQLSTATE codes the services translate into domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_CHECK_VIOLATION = '23514';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

export function pgErrorCode(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { code?: unknown } })?.driverError ?? error;
  const code = (driverError as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { constraint?: unknown } })?.driverError ?? error;
  const c = (driverError as { constraint?: unknown })?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/** Why an operation could not be done now, though it may well succeed if tried again shortly. */
export type UnavailableReason = 'DATABASE_UNAVAILABLE' | 'BUSY' | 'TIMED_OUT';

/** SQLSTATEs that mean "not now": contention, a time limit, or a server that is going away or full. */
const STATES: Readonly<Record<string, UnavailableReason>> = {
  '55P03': 'BUSY', // lock_not_available (lock_timeout)
  '40001': 'BUSY', // serialization_failure
  '40P01': 'BUSY', // deadlock_detected
  '57014': 'TIMED_OUT', // query_canceled (statement_timeout)
  '25P03': 'TIMED_OUT', // idle_in_transaction_session_timeout
  '57P01': 'DATABASE_UNAVAILABLE', // admin_shutdown
  '57P02': 'DATABASE_UNAVAILABLE', // crash_shutdown
  '57P03': 'DATABASE_UNAVAILABLE', // cannot_connect_now (starting up)
  '53300': 'DATABASE_UNAVAILABLE', // too_many_connections
};

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-pg's own messages (fixed strings, no data) for a connection lost or never made. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection refused',
  'Query read timeout', // query_timeout: the server stopped answering
];

/**
 * Whether `error` means the database could not do it now (and why), as opposed to a bug or a refusal: such an
 * operation was not done (a statement or transaction that failed is rolled back) and may be tried again.
 */
export function unavailableReason(error: unknown): UnavailableReason | null {
  const code = pgErrorCode(error);
  if (code !== undefined) {
    if (STATES[code]) return STATES[code];
    if (code.startsWith('08')) return 'DATABASE_UNAVAILABLE'; // connection_exception
    if (NETWORK.has(code)) return 'DATABASE_UNAVAILABLE';
  }
  const driverError = (error as { driverError?: unknown })?.driverError ?? error;
  const message = (driverError as { message?: unknown })?.message;
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.startsWith(m))) {
    return 'DATABASE_UNAVAILABLE';
  }
  return null;
}

/** The database's availability as this process sees it: one log line when it is lost, one when it is back. */
export const databaseState = new ConnectionState(new Logger('Database'), 'database');
