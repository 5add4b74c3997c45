import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@shelterlink/common';
import { BedPoolsService, CapacityEventsService } from '@shelterlink/shelters';
import { CurrentActor } from '../common/current-actor.decorator';
import { pageCost } from '../graphql/operation-limits';
import { BedPoolEventsArgs, CapacityEventConnectionModel } from './capacity-event.models';
import { AdjustBedsInput, SetBedCountsInput, UpsertBedPoolInput } from './shelter.inputs';
import { BedPoolModel } from './shelter.models';
import { IdempotencyKeyArg } from '../common/idempotency';

@Resolver(() => BedPoolModel)
export class BedPoolResolver {
  constructor(
    private readonly pools: BedPoolsService,
    private readonly events: CapacityEventsService,
  ) {}

  @Query(() => CapacityEventConnectionModel, {
    description:
      "Shelter staff: a pool of your shelters' recent changes, newest first (to reconcile after an offline replay)",
    complexity: pageCost(20),
  })
  async bedPoolEvents(
    @CurrentActor() actor: Actor,
    @Args() { poolId, first, after }: BedPoolEventsArgs,
  ): Promise<CapacityEventConnectionModel> {
    const page = await this.events.recent(actor, poolId, first, after);
    return {
      edges: page.items.map((e) => ({ cursor: page.cursorOf(e), node: e })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    };
  }

  @Mutation(() => BedPoolModel, { description: "Creates the shelter's pool of this bed type, or sets its capacity" })
  upsertBedPool(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpsertBedPoolInput,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<BedPoolModel> {
    return this.pools.upsert(actor, input.shelterId, input.bedType, input.capacity, input.reason);
  }

  @Mutation(() => BedPoolModel, { description: 'Adds deltas to occupied and out-of-service beds, atomically' })
  adjustBeds(
    @CurrentActor() actor: Actor,
    @Args('input') input: AdjustBedsInput,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<BedPoolModel> {
    return this.pools.adjust(
      actor,
      input.poolId,
      input.occupiedDelta,
      input.outOfServiceDelta,
      input.reason,
      input.madeAt,
    );
  }

  @Mutation(() => BedPoolModel, { description: 'Sets absolute counts if the pool is still at expectedVersion' })
  setBedCounts(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetBedCountsInput,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<BedPoolModel> {
    return this.pools.setCounts(actor, input.poolId, input, input.expectedVersion, input.reason, input.madeAt);
  }
}
