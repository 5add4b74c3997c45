import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthService } from '@shelterlink/accounts';
import { Actor } from '@shelterlink/common';
import { unauthenticated } from '../common/current-actor.decorator';

interface HttpRequestWithActor {
  headers: Record<string, string | string[] | undefined>;
  shelterlinkActor?: Actor;
}

/** Plain HTTP routes (the exports) need a signed-in, active user's Bearer token, as GraphQL does. */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequestWithActor>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
    const actor = token ? await this.auth.actorFromToken(token) : null;
    if (!actor) throw unauthenticated();
    request.shelterlinkActor = actor;
    return true;
  }
}

/** The caller BearerGuard let through. */
export const HttpActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<HttpRequestWithActor>().shelterlinkActor;
  if (!actor) throw unauthenticated();
  return actor;
});
