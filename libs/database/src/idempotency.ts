import { AsyncLocalStorage } from 'node:async_hooks';
import { EntitySubscriberInterface, EventSubscriber, QueryRunner } from 'typeorm';

/** A change made under an idempotency key: who (scope), which key, which operation with which input. */
export interface IdempotencyContext {
  readonly scope: string;
  readonly key: string;
  readonly operation: string;
  readonly requestHash: string;
  /** The query runner whose transaction claimed the key, while that transaction lives. */
  claimedBy?: QueryRunner;
  /** Set once the claiming transaction committed: the answer is then stored for replays. */
  committed?: boolean;
}

/** The key's row as the first change left it. */
export interface IdempotencyRecord {
  operation: string;
  request_hash: string;
  response: unknown;
}

/** The key was claimed before (by a change that committed): this try must change nothing and answer as it did. */
export class IdempotentReplay extends Error {
  constructor(readonly record: IdempotencyRecord) {
    super('idempotent replay');
    this.name = 'IdempotentReplay';
  }
}

const context = new AsyncLocalStorage<IdempotencyContext>();

/** Runs `work` (a request's change) under `ctx`: its first transaction claims the key. */
export function withIdempotencyKey<T>(ctx: IdempotencyContext, work: () => T): T {
  return context.run(ctx, work);
}

/**
 * Claims the request's idempotency key as the first statement of its first transaction. A second try with the same
 * key waits here (on the key's row) until the first try's transaction ends: if that committed, this one is rolled
 * back before it changed anything (IdempotentReplay); if it rolled back, this one claims the key and goes on.
 */
@EventSubscriber()
export class IdempotencyClaim implements EntitySubscriberInterface {
  async afterTransactionStart({ queryRunner }: { queryRunner: QueryRunner }): Promise<void> {
    const ctx = context.getStore();
    if (!ctx || ctx.claimedBy || ctx.committed) return;
    // twice at most: a key purged between the two statements is claimed on the second pass
    for (let pass = 0; pass < 2; pass++) {
      const claimed = (await queryRunner.query(
        `INSERT INTO idempotency_key (scope, key, operation, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [ctx.scope, ctx.key, ctx.operation, ctx.requestHash],
      )) as unknown[];
      if (claimed.length > 0) {
        ctx.claimedBy = queryRunner;
        return;
      }
      const [record] = (await queryRunner.query(
        `SELECT operation, request_hash, response FROM idempotency_key WHERE scope = $1 AND key = $2`,
        [ctx.scope, ctx.key],
      )) as IdempotencyRecord[];
      if (record) throw new IdempotentReplay(record);
    }
  }

  afterTransactionCommit({ queryRunner }: { queryRunner: QueryRunner }): void {
    const ctx = context.getStore();
    if (ctx?.claimedBy === queryRunner && !queryRunner.isTransactionActive) ctx.committed = true;
  }

  afterTransactionRollback({ queryRunner }: { queryRunner: QueryRunner }): void {
    const ctx = context.getStore();
    if (ctx?.claimedBy === queryRunner && !queryRunner.isTransactionActive) ctx.claimedBy = undefined;
  }
}
