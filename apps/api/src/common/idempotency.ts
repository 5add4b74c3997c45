import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Args, GqlExecutionContext } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Actor, badInput, DomainError } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { IdempotencyContext, IdempotentReplay, IdempotencyRecord, withIdempotencyKey } from '@shelterlink/database';
import { OffersService, ReferralsService } from '@shelterlink/referrals';
import { toOfferModel, toReferralModel } from '../referrals/referral.mapper';
import type { RequestContext } from './request-context';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** How long a replay waits for the first try's answer to be stored (it is, just after that try's commit). */
const ANSWER_WAIT_MS = 5000;

/**
 * Answers that hold survivor data (a referral's or an offer's needs, intake instructions) are not kept: only their
 * id is, and a replay reads the object again through the same scoped reads as any query, so it shows what the caller
 * may see now (after a purge, a revoked consent) and nothing kept past it. Bed pools and confirmations are kept.
 */
const REREAD: Readonly<Record<string, 'referral' | 'offer'>> = {
  submitReferral: 'referral',
  recordConsent: 'referral',
  revokeConsent: 'referral',
  withdrawReferral: 'referral',
  respondToOffer: 'offer',
  confirmIntake: 'offer',
  recordNoShow: 'offer',
  recordExit: 'offer',
};

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
  private readonly logger = new Logger('Idempotency');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly referrals: ReferralsService,
    private readonly offers: OffersService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // every resolver passes here (search's fields included): leave at once unless the field has a key
    if (context.getType<string>() !== 'graphql') return next.handle();
    const args = context.getArgByIndex<Record<string, unknown> | undefined>(1) ?? {};
    const key = args.idempotencyKey;
    if (key === undefined || key === null) return next.handle();
    const gql = GqlExecutionContext.create(context);
    if (gql.getInfo<{ operation: { operation: string } }>().operation.operation !== 'mutation') return next.handle();
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
      // keyed: the input may hold a survivor's identity, which a plain hash would let a guess confirm
      requestHash: this.config.pseudonym('idempotent request', canonical(input)),
    };
    return from(this.run(ctx, actor, next));
  }

  private async run(ctx: IdempotencyContext, actor: Actor, next: CallHandler): Promise<unknown> {
    let answer: unknown;
    try {
      answer = await withIdempotencyKey(ctx, () => lastValueFrom(next.handle()));
    } catch (error) {
      if (error instanceof IdempotentReplay) return this.replay(ctx, actor, error.record);
      throw error;
    }
    if (ctx.committed) {
      const kept = REREAD[ctx.operation] ? { id: (answer as { id: string }).id } : answer;
      // the change is made: failing to keep its answer must not turn into an error the client would retry on
      await this.db
        .query(`UPDATE idempotency_key SET response = $3 WHERE scope = $1 AND key = $2`, [
          ctx.scope,
          ctx.key,
          JSON.stringify(kept, keepDates),
        ])
        .catch((error: unknown) =>
          this.logger.warn(
            { err: { type: (error as Error)?.name } },
            'the first answer of a keyed change was not kept',
          ),
        );
    }
    return answer;
  }

  private async replay(ctx: IdempotencyContext, actor: Actor, record: IdempotencyRecord): Promise<unknown> {
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
    const kept = JSON.parse(JSON.stringify(response), reviveDates) as { id: string };
    switch (REREAD[ctx.operation]) {
      case 'referral':
        return toReferralModel(await this.referrals.get(actor, kept.id));
      case 'offer':
        return toOfferModel(await this.offers.get(actor, kept.id));
      default:
        return kept;
    }
  }
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
