import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '@shelterlink/common';
import type { RequestContext } from './request-context';

/** Per-user request limit on GraphQL operations (per client address before sign-in). */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext) {
    const gql = GqlExecutionContext.create(context).getContext<RequestContext>();
    const key = gql.actor ? `user:${gql.actor.userId}` : `address:${gql.address}`;
    return { req: { key }, res: { header: () => undefined } } as unknown as {
      req: Record<string, unknown>;
      res: Record<string, unknown>;
    };
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(String(req.key));
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return Promise.resolve(true);
    return super.canActivate(context);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new DomainError('RATE_LIMITED', 'Too many requests; slow down', { retryAfterSeconds });
  }
}
