import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor, DomainError } from '@shelterlink/common';
import type { RequestContext } from './request-context';

export const IS_PUBLIC = 'shelterlink:isPublic';

/** Marks an operation that needs no signed-in user: `login`, and `renewSession` and `signOut` (by cookie). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'Sign in to continue');

/** The signed-in caller; every service receives it and scopes its reads and writes by it. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const { actor } = GqlExecutionContext.create(ctx).getContext<RequestContext>();
  if (!actor) throw unauthenticated();
  return actor;
});

export const Ctx = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestContext =>
  GqlExecutionContext.create(ctx).getContext<RequestContext>(),
);
