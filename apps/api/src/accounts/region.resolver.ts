import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RegionsService } from '@shelterlink/accounts';
import { Actor } from '@shelterlink/common';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateRegionInput, UpdateRegionInput } from './account.inputs';
import { RegionModel } from './account.models';
import { statementCost } from '../graphql/operation-limits';

@Resolver(() => RegionModel)
export class RegionResolver {
  constructor(private readonly service: RegionsService) {}

  @Query(() => [RegionModel], {
    description: 'The region tree (state → county), for every signed-in user',
    complexity: statementCost,
  })
  regions(): Promise<RegionModel[]> {
    return this.service.list();
  }

  @Mutation(() => RegionModel)
  createRegion(@CurrentActor() actor: Actor, @Args('input') input: CreateRegionInput): Promise<RegionModel> {
    return this.service.create(actor, input);
  }

  @Mutation(() => RegionModel)
  updateRegion(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @Args('input') input: UpdateRegionInput,
  ): Promise<RegionModel> {
    return this.service.update(actor, id, input);
  }
}
