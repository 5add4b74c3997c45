import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Args, GqlExecutionContext } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { from, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { badInput, DomainError } from '@shelterlink/common';
import { IdempotencyContext, IdempotentReplay, IdempotencyRecord, withIdempotencyKey } from '@shelterlink/database';
import type { RequestContext } from './request-context';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** How long a replay waits for the first try's answer to be stored (it is, just after that try's commit). */
const ANSWER_WAIT_MS = 3000;

/** The `idempotencyKey` argument every state-changing mutation takes. */
export const IdempotencyKeyArg = () =>
  Args('idempotencyKey', {
    type: () => String,
    nullable: true,
    description:
      'Makes retries safe: the same key again (or twice at once) changes nothing more and returns the first answer; ' +
      'with a different input it is CONFLICT. Unique per organisation, kept at least 7 days. 8 to 128 of ' +
      'A-Z a-z 0-9 . _ : - (a UUID will do).',
  });

/**
 * Mutations called with an `idempotencyKey`: the change claims the key in its own transaction (IdempotencyClaim),
 * its answer is stored with the key, and a later try with the key gets that answer without changing anything.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const args = gql.getArgs<Record<string, unknown>>();
    const key = args.idempotencyKey;
    if (
      key === undefined ||
      key === null ||
      gql.getInfo<{ operation: { operation: string } }>().operation.operation !== 'mutation'
    ) {
      return next.handle();
    }
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw badInput('idempotencyKey', 'must be 8 to 128 of A-Z a-z 0-9 . _ : -');
    }
    const { actor } = gql.getContext<RequestContext>();
    if (!actor) return next.handle(); // refused by the resolver
    const { idempotencyKey: _key, ...input } = args;
    const ctx: IdempotencyContext = {
      scope: actor.organisationId ?? `user:${actor.userId}`,
      key,
      operation: gql.getInfo<{ fieldName: string }>().fieldName,
      requestHash: createHash('sha256').update(canonical(input)).digest('hex'),
    };
    return from(this.run(ctx, next));
  }

  private async run(ctx: IdempotencyContext, next: CallHandler): Promise<unknown> {
    try {
      const answer: unknown = await withIdempotencyKey(ctx, () => lastValue<unknown>(next.handle()));
      if (ctx.committed) {
        await this.db.query(`UPDATE idempotency_key SET response = $3 WHERE scope = $1 AND key = $2`, [
          ctx.scope,
          ctx.key,
          JSON.stringify(answer, keepDates),
        ]);
      }
      return answer;
    } catch (error) {
      if (!(error instanceof IdempotentReplay)) throw error;
      return this.replay(ctx, error.record);
    }
  }

  private async replay(ctx: IdempotencyContext, record: IdempotencyRecord): Promise<unknown> {
    if (record.operation !== ctx.operation || record.request_hash !== ctx.requestHash) {
      throw new DomainError('CONFLICT', 'This idempotency key was used for a different change', {
        field: 'idempotencyKey',
      });
    }
    // twice at once: the first try's answer is stored just after its commit
    let response = record.response;
    for (const deadline = Date.now() + ANSWER_WAIT_MS; response === null && Date.now() < deadline;) {
      await sleep(50);
      const [row] = await this.db.query<{ response: unknown }[]>(
        `SELECT response FROM idempotency_key WHERE scope = $1 AND key = $2`,
        [ctx.scope, ctx.key],
      );
      response = row?.response ?? null;
    }
    if (response === null) {
      throw new DomainError('CONFLICT', 'This change was already made; its answer is gone: refresh to see it', {
        field: 'idempotencyKey',
      });
    }
    return JSON.parse(JSON.stringify(response), reviveDates);
  }
}

function lastValue<T>(observable: Observable<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let value: T;
    observable.subscribe({ next: (v) => (value = v), error: reject, complete: () => resolve(value) });
  });
}

/** JSON with sorted keys (and dates as ISO strings): the same input always hashes the same. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Dates survive the round trip through JSON (the DateTime scalar serialises only Date objects). */
function keepDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  return this[key] instanceof Date ? { $date: this[key].toISOString() } : value;
}

function reviveDates(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$date' in value && Object.keys(value).length === 1) {
    return new Date((value as { $date: string }).$date);
  }
  return value;
}
