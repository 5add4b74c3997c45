import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { IS_PUBLIC, unauthenticated } from './current-actor.decorator';
import type { RequestContext } from './request-context';

/** Every GraphQL operation needs a signed-in, active user unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const { actor } = GqlExecutionContext.create(context).getContext<RequestContext>();
    if (!actor) throw unauthenticated();
    return true;
  }
}
