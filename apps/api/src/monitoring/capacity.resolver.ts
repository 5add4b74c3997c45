import { Inject } from '@nestjs/common';
import { Args, ID, Query, Resolver, Subscription } from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Actor } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { CapacityService } from '@shelterlink/monitoring';
import { PUB_SUB, Topics } from '@shelterlink/queue';
import { CurrentActor } from '../common/current-actor.decorator';
import type { RequestContext } from '../common/request-context';
import { UuidPipe } from '../common/uuid.pipe';
import { RegionCapacityModel } from './capacity.models';
import { expensiveCost, REPORT_COSTS } from '../graphql/operation-limits';

@Resolver()
export class CapacityResolver {
  constructor(
    private readonly capacity: CapacityService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
  ) {}

  @Query(() => RegionCapacityModel, {
    description: 'For coordinators (their regions and below) and admins',
    complexity: expensiveCost(REPORT_COSTS.regionCapacity),
  })
  regionCapacity(
    @CurrentActor() actor: Actor,
    @Args('regionId', { type: () => ID }, UuidPipe) regionId: string,
  ): Promise<RegionCapacityModel> {
    return this.capacity.regionCapacity(actor, regionId);
  }

  @Subscription(() => RegionCapacityModel, {
    description: 'The region’s capacity again after every count change in it or below it',
    filter: (_change: unknown, _args: unknown, ctx: RequestContext) => ctx.stillActive(),
    // worked out for the subscriber, with the subscriber's own access, at each change: fresh, as this change may
    // reach this listener before it reaches the cache
    resolve: function (this: CapacityResolver, _change: unknown, args: { regionId: string }, ctx: RequestContext) {
      return this.capacity.regionCapacity(ctx.actor!, args.regionId, { fresh: true });
    },
  })
  async regionCapacityChanged(
    @CurrentActor() actor: Actor,
    @Args('regionId', { type: () => ID }, UuidPipe) regionId: string,
  ): Promise<AsyncIterator<unknown>> {
    // refused or not found here, before anything is streamed
    await this.capacity.regionCapacity(actor, regionId);
    return this.pubSub.asyncIterator(Topics.bedAvailability(this.config, regionId));
  }
}
