import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RegionEntity, UsersService } from '@shelterlink/accounts';
import { Actor, Role } from '@shelterlink/common';
import { Ctx, CurrentActor } from '../common/current-actor.decorator';
import type { RequestContext } from '../common/request-context';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateUserInput, UpdateUserInput } from './account.inputs';
import { OrganisationModel, RegionModel, UserModel } from './account.models';
import { statementCost } from '../graphql/operation-limits';

@Resolver(() => UserModel)
export class UserResolver {
  constructor(private readonly service: UsersService) {}

  @Query(() => [UserModel], {
    description: 'Admins: every user (optionally of one organisation); others: themselves',
    complexity: statementCost,
  })
  users(
    @CurrentActor() actor: Actor,
    @Args('organisationId', { type: () => ID, nullable: true }, UuidPipe) organisationId?: string,
  ): Promise<UserModel[]> {
    return this.service.list(actor, organisationId);
  }

  @Mutation(() => UserModel)
  createUser(@CurrentActor() actor: Actor, @Args('input') input: CreateUserInput): Promise<UserModel> {
    return this.service.create(actor, input);
  }

  @Mutation(() => UserModel)
  updateUser(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @Args('input') input: UpdateUserInput,
  ): Promise<UserModel> {
    return this.service.update(actor, id, input);
  }

  @Mutation(() => UserModel, { description: 'The user can no longer sign in, and their tokens stop working at once' })
  deactivateUser(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
  ): Promise<UserModel> {
    return this.service.setActive(actor, id, false);
  }

  @Mutation(() => UserModel)
  reactivateUser(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
  ): Promise<UserModel> {
    return this.service.setActive(actor, id, true);
  }

  @ResolveField(() => OrganisationModel, { nullable: true })
  async organisation(@Parent() user: UserModel, @Ctx() ctx: RequestContext): Promise<OrganisationModel | null> {
    return user.organisationId ? ctx.loaders.organisation.load(user.organisationId) : null;
  }

  @ResolveField(() => [RegionModel], { description: "A coordinator's assigned regions" })
  async regions(@Parent() user: UserModel, @Ctx() ctx: RequestContext): Promise<RegionModel[]> {
    if (user.role !== Role.REGIONAL_COORDINATOR) return [];
    const ids = (await this.service.regionIds([user.id])).get(user.id) ?? [];
    const regions = await ctx.loaders.region.loadMany(ids);
    return regions.filter((r): r is RegionEntity => r !== null && !(r instanceof Error));
  }
}
