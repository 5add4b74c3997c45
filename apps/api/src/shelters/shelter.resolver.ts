import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { BedPoolsService, SheltersService, ShelterView } from '@shelterlink/shelters';
import { OrganisationModel, RegionModel } from '../accounts/account.models';
import { Ctx, CurrentActor } from '../common/current-actor.decorator';
import { pageCost, statementCost } from '../graphql/operation-limits';
import type { RequestContext } from '../common/request-context';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateShelterInput, EligibilityInput, SheltersArgs, UpdateShelterInput } from './shelter.inputs';
import { toShelterModel } from './shelter.mapper';
import { AvailabilityConfirmationModel, BedPoolModel, ShelterConnectionModel, ShelterModel } from './shelter.models';
import { IdempotencyKeyArg } from '../common/idempotency';

@Resolver(() => ShelterModel)
export class ShelterResolver {
  constructor(
    private readonly shelters: SheltersService,
    private readonly pools: BedPoolsService,
    private readonly config: AppConfig,
  ) {}

  private present = (view: ShelterView): ShelterModel => toShelterModel(view, this.config.env.STALE_AFTER_MINUTES);

  @Query(() => ShelterConnectionModel, {
    name: 'shelters',
    description: 'The directory, by name: the whole network, or for coordinators the shelters of their regions',
    complexity: pageCost(20),
  })
  async listShelters(@CurrentActor() actor: Actor, @Args() args: SheltersArgs): Promise<ShelterConnectionModel> {
    const page = await this.shelters.list(actor, args);
    return {
      edges: page.items.map((view) => ({ cursor: page.cursorOf(view), node: this.present(view) })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    };
  }

  @Query(() => ShelterModel, {
    name: 'shelter',
    description: "One shelter of your directory (a coordinator's: of their regions); any other is NOT_FOUND",
    complexity: statementCost,
  })
  async getShelter(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
  ): Promise<ShelterModel> {
    return this.present(await this.shelters.get(actor, id));
  }

  @Mutation(() => ShelterModel, { description: 'Shelter staff: a new shelter of their own organisation' })
  async createShelter(@CurrentActor() actor: Actor, @Args('input') input: CreateShelterInput): Promise<ShelterModel> {
    return this.present(await this.shelters.create(actor, input));
  }

  @Mutation(() => ShelterModel)
  async updateShelter(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @Args('input') input: UpdateShelterInput,
  ): Promise<ShelterModel> {
    return this.present(await this.shelters.update(actor, id, input));
  }

  @Mutation(() => ShelterModel, { description: 'Replaces every eligibility rule of the shelter' })
  async setEligibility(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
    @Args('eligibility') eligibility: EligibilityInput,
  ): Promise<ShelterModel> {
    return this.present(await this.shelters.setEligibility(actor, shelterId, eligibility));
  }

  @Mutation(() => AvailabilityConfirmationModel, { description: 'Marks the counts verified now, changing nothing' })
  confirmAvailability(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<AvailabilityConfirmationModel> {
    return this.pools.confirm(actor, shelterId);
  }

  @ResolveField(() => [BedPoolModel], {
    name: 'pools',
    description: "Its beds by type; the breakdown only for its staff, its region's coordinators and admins",
  })
  bedPools(@Parent() shelter: ShelterModel, @Ctx() ctx: RequestContext): Promise<BedPoolModel[]> {
    return ctx.loaders.poolsByShelter.load(shelter.id);
  }

  @ResolveField(() => RegionModel)
  async region(@Parent() shelter: ShelterModel, @Ctx() ctx: RequestContext): Promise<RegionModel> {
    return (await ctx.loaders.region.load(shelter.regionId))!;
  }

  @ResolveField(() => OrganisationModel, { description: "The provider's public name" })
  async organisation(@Parent() shelter: ShelterModel, @Ctx() ctx: RequestContext): Promise<OrganisationModel> {
    return (await ctx.loaders.organisation.load(shelter.organisationId))!;
  }
}
