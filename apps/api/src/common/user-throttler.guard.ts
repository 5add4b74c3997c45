import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '@shelterlink/common';
import type { RequestContext } from './request-context';

interface HttpRequest {
  url?: string;
  ip?: string;
}

/** Plain HTTP routes that are limited too: the exports (each one reads a whole region). */
const LIMITED_HTTP = /^\/exports\//;

/**
 * Per-user request limit on GraphQL operations (per client address before sign-in), and per client address on
 * the exports (guards run before their sign-in check).
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext) {
    let key: string;
    if (context.getType<string>() === 'http') {
      key = `address:${context.switchToHttp().getRequest<HttpRequest>().ip ?? 'unknown'}`;
    } else {
      const gql = GqlExecutionContext.create(context).getContext<RequestContext>();
      key = gql.actor ? `user:${gql.actor.userId}` : `address:${gql.address}`;
    }
    return { req: { key }, res: { header: () => undefined } } as unknown as {
      req: Record<string, unknown>;
      res: Record<string, unknown>;
    };
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(String(req.key));
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    const type = context.getType<string>();
    const limited =
      type === 'graphql' ||
      (type === 'http' && LIMITED_HTTP.test(context.switchToHttp().getRequest<HttpRequest>().url ?? ''));
    return limited ? super.canActivate(context) : Promise.resolve(true);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new DomainError('RATE_LIMITED', 'Too many requests; slow down', { retryAfterSeconds });
  }
}
