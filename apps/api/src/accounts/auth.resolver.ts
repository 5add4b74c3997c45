import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthService, UsersService } from '@shelterlink/accounts';
import { Actor } from '@shelterlink/common';
import { Ctx, CurrentActor, Public } from '../common/current-actor.decorator';
import type { RequestContext } from '../common/request-context';
import { LoginArgs } from './account.inputs';
import { LoginResultModel, UserModel } from './account.models';
import { statementCost } from '../graphql/operation-limits';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Mutation(() => LoginResultModel, {
    description: 'Same error for a wrong password, an unknown or a deactivated user',
  })
  login(@Args() { email, password }: LoginArgs, @Ctx() ctx: RequestContext): Promise<LoginResultModel> {
    return this.auth.login(email, password, ctx.address);
  }

  @Query(() => UserModel, { description: 'The signed-in user, with role and organisation', complexity: statementCost })
  me(@CurrentActor() actor: Actor): Promise<UserModel> {
    return this.users.get(actor, actor.userId);
  }
}
