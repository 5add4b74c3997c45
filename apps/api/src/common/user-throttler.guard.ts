import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '@shelterlink/common';
import type { RequestContext } from './request-context';

interface HttpRequest {
  ip?: string;
}

export const LIMITED_HTTP = 'shelterlink:limitedHttp';

/** Marks plain HTTP routes limited like GraphQL operations (the exports: each one reads a whole region). */
export const LimitedHttp = () => SetMetadata(LIMITED_HTTP, true);

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
      (type === 'http' &&
        this.reflector.getAllAndOverride<boolean>(LIMITED_HTTP, [context.getHandler(), context.getClass()]) === true);
    return limited ? super.canActivate(context) : Promise.resolve(true);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new DomainError('RATE_LIMITED', 'Too many requests; slow down', { retryAfterSeconds });
  }
}
