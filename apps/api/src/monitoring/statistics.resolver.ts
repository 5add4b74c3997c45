import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@shelterlink/common';
import { OccupancyBucket, OccupancyService, ReferralStatisticsService } from '@shelterlink/monitoring';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';
import { OccupancyModel, PeriodInput, ReferralStatisticsModel, UnmetNeedModel } from './statistics.models';
import { expensiveCost, REPORT_COSTS } from '../graphql/operation-limits';

@Resolver()
export class StatisticsResolver {
  constructor(
    private readonly statistics: ReferralStatisticsService,
    private readonly occupancyService: OccupancyService,
  ) {}

  @Query(() => ReferralStatisticsModel, {
    description: 'For coordinators (their regions and below) and admins; small counts withheld',
    complexity: expensiveCost(REPORT_COSTS.statistics),
  })
  referralStatistics(
    @CurrentActor() actor: Actor,
    @Args('regionId', { type: () => ID }, UuidPipe) regionId: string,
    @Args('period', { type: () => PeriodInput }) period: PeriodInput,
  ): Promise<ReferralStatisticsModel> {
    return this.statistics.referralStatistics(actor, regionId, period);
  }

  @Query(() => UnmetNeedModel, {
    description: 'For coordinators (their regions and below) and admins',
    complexity: expensiveCost(REPORT_COSTS.statistics),
  })
  unmetNeed(
    @CurrentActor() actor: Actor,
    @Args('regionId', { type: () => ID }, UuidPipe) regionId: string,
    @Args('period', { type: () => PeriodInput }) period: PeriodInput,
  ): Promise<UnmetNeedModel> {
    return this.statistics.unmetNeed(actor, regionId, period);
  }

  @Query(() => OccupancyModel, {
    description: 'Beds over time from the capacity events; for coordinators (their regions and below) and admins',
    complexity: expensiveCost(REPORT_COSTS.statistics),
  })
  occupancy(
    @CurrentActor() actor: Actor,
    @Args('regionId', { type: () => ID }, UuidPipe) regionId: string,
    @Args('period', { type: () => PeriodInput }) period: PeriodInput,
    @Args('bucket', { type: () => OccupancyBucket }) bucket: OccupancyBucket,
    @Args('timeZone', { nullable: true, description: 'IANA zone for the buckets; UTC when left out' })
    timeZone?: string,
  ): Promise<OccupancyModel> {
    return this.occupancyService.occupancy(actor, regionId, period, bucket, timeZone ?? undefined);
  }
}
