import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthService, RefreshSessionsService, SignedIn, UsersService } from '@shelterlink/accounts';
import { Actor } from '@shelterlink/common';
import { REFRESH_COOKIE, refreshCookie } from '../common/cookies';
import { Ctx, CurrentActor, Public } from '../common/current-actor.decorator';
import type { HttpExchange, RequestContext } from '../common/request-context';
import { LoginArgs, SignOutArgs } from './account.inputs';
import { LoginResultModel, UserModel } from './account.models';
import { statementCost } from '../graphql/operation-limits';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly refresh: RefreshSessionsService,
  ) {}

  @Public()
  @Mutation(() => LoginResultModel, {
    description:
      'Same error for a wrong password, an unknown or a deactivated user. Over HTTP it also sets the refresh ' +
      'cookie (HttpOnly) that renewSession renews the token with',
  })
  async login(@Args() { email, password }: LoginArgs, @Ctx() ctx: RequestContext): Promise<LoginResultModel> {
    return answer(ctx.http, await this.auth.login(email, password, ctx.address, ctx.http !== null));
  }

  @Public()
  @Mutation(() => LoginResultModel, {
    description:
      'A new token for the sign-in whose refresh cookie the browser sends (HTTP only), and a new cookie in place of ' +
      'that one. UNAUTHENTICATED ("Session ended: sign in again") when there is none or it ended, whatever the reason',
  })
  async renewSession(@Ctx() ctx: RequestContext): Promise<LoginResultModel> {
    const signedIn = await this.auth.renew(ctx.http?.cookies.get(REFRESH_COOKIE) || null, ctx.address);
    return answer(ctx.http, signedIn);
  }

  @Public()
  @Mutation(() => Boolean, {
    description:
      "Ends the caller's sign-in (the one of the token sent, and the one of the refresh cookie, even when the token " +
      'has expired) and removes the cookie; `everywhere` (signed in only) ends every session of yours on every ' +
      'device. Tokens of an ended sign-in stop at once; its sockets close with 4401. Always true',
  })
  async signOut(@Args() { everywhere }: SignOutArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { actor } = ctx;
    const signIns: { userId: string; familyId: string }[] = [];
    if (actor && ctx.signIn) signIns.push({ userId: actor.userId, familyId: ctx.signIn });
    const cookie = ctx.http?.cookies.get(REFRESH_COOKIE);
    const fromCookie = cookie ? await this.refresh.familyOf(cookie) : null;
    if (fromCookie && fromCookie.familyId !== ctx.signIn) signIns.push(fromCookie);
    await this.users.signOut(actor, signIns, everywhere);
    if (ctx.http) ctx.http.setCookie = refreshCookie('', 0, ctx.http.secure);
    return true;
  }

  @Query(() => UserModel, { description: 'The signed-in user, with role and organisation', complexity: statementCost })
  me(@CurrentActor() actor: Actor): Promise<UserModel> {
    return this.users.get(actor, actor.userId);
  }
}

/** The answer to login and renewSession; over HTTP the refresh cookie, for the rest of its sign-in's life. */
function answer(http: HttpExchange | null, { token, expiresAt, user, refresh }: SignedIn): LoginResultModel {
  if (http && refresh) {
    const seconds = Math.ceil((refresh.expiresAt.getTime() - Date.now()) / 1000);
    http.setCookie = refreshCookie(refresh.token, seconds, http.secure);
  }
  return { token, expiresAt, user };
}
