import { EntitySubscriberInterface, EventSubscriber, QueryRunner } from 'typeorm';
import { DomainError } from '@shelterlink/common';

/** When the outermost transaction of a connection began (kept in the query runner's own data). */
const STARTED = 'shelterlinkTransactionStartedAt';

/** The query runner's own data (typed by TypeORM as any object). */
function data(queryRunner: QueryRunner): Record<string, number | undefined> {
  return queryRunner.data;
}

/** A change that ran out of time: rolled back, never committed; the client may try again. */
export function transactionTooLong(): DomainError {
  return new DomainError('SERVICE_UNAVAILABLE', 'The change took too long and was not made; try again', {
    reason: 'TIMED_OUT',
    retryAfterSeconds: 1,
  });
}

/**
 * Postgres 15 has no transaction_timeout: this refuses to COMMIT a transaction older than `limitMs` (its work is
 * rolled back), so a change a client has long given up on is never made behind its back. Statements are bounded
 * on their own by statement_timeout, waits for locks by lock_timeout.
 */
export function transactionDeadline(limitMs: number): new () => EntitySubscriberInterface {
  // TypeORM loads only decorated subscribers, and of those only the ones a data source lists
  @EventSubscriber()
  class TransactionDeadline implements EntitySubscriberInterface {
    afterTransactionStart({ queryRunner }: { queryRunner: QueryRunner }): void {
      data(queryRunner)[STARTED] ??= Date.now();
    }

    beforeTransactionCommit({ queryRunner }: { queryRunner: QueryRunner }): void {
      const started = data(queryRunner)[STARTED];
      if (started !== undefined && Date.now() - started > limitMs) throw transactionTooLong();
    }

    afterTransactionCommit({ queryRunner }: { queryRunner: QueryRunner }): void {
      if (!queryRunner.isTransactionActive) delete data(queryRunner)[STARTED];
    }

    afterTransactionRollback({ queryRunner }: { queryRunner: QueryRunner }): void {
      if (!queryRunner.isTransactionActive) delete data(queryRunner)[STARTED];
    }
  }
  return TransactionDeadline;
}
