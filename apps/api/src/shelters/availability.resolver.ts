import { Inject } from '@nestjs/common';
import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { RegionsService } from '@shelterlink/accounts';
import { Actor } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { PUB_SUB, Topics } from '@shelterlink/queue';
import { availabilityChangeFor, type BedAvailabilityChange } from '@shelterlink/shelters';
import { CurrentActor } from '../common/current-actor.decorator';
import type { RequestContext } from '../common/request-context';
import { UuidPipe } from '../common/uuid.pipe';
import { BedAvailabilityChangeModel } from './shelter.models';

@Resolver()
export class AvailabilityResolver {
  constructor(
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly regions: RegionsService,
    private readonly config: AppConfig,
  ) {}

  @Subscription(() => BedAvailabilityChangeModel, {
    description:
      'Every count change in the region and below it, published through Redis by any API process. The breakdown ' +
      "is for the shelter's staff, its region's coordinators and admins; others hear of free beds and capacity only",
    filter: async (change: BedAvailabilityChange, _args: unknown, ctx: RequestContext) =>
      availabilityChangeFor(ctx.actor, change) !== null && (await ctx.stillActive()),
    resolve: (change: BedAvailabilityChange, _args: unknown, ctx: RequestContext) => ({
      ...availabilityChangeFor(ctx.actor, change),
      availabilityVerifiedAt: new Date(change.availabilityVerifiedAt),
    }),
  })
  async bedAvailabilityChanged(
    @CurrentActor() actor: Actor,
    @Args('regionId', { type: () => ID }, UuidPipe) regionId: string,
  ): Promise<AsyncIterator<BedAvailabilityChange>> {
    await this.regions.getVisible(actor, regionId);
    return this.pubSub.asyncIterator<BedAvailabilityChange>(Topics.bedAvailability(this.config, regionId));
  }
}
