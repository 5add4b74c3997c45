import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { BedType } from '@shelterlink/shelters';

@ObjectType('BedCounts')
export class BedCountsModel {
  @Field(() => Int) capacity: number;
  @Field(() => Int) occupied: number;
  @Field(() => Int) held: number;
  @Field(() => Int) outOfService: number;
  @Field(() => Int, { description: 'Free beds at shelters taking referrals (never at paused shelters)' })
  available: number;
  @Field(() => Int, {
    nullable: true,
    description:
      'Free beds at paused shelters, counted apart: nobody is placed there. Null in occupancy history, which does ' +
      'not record past pauses (there `available` is every free bed)',
  })
  availableAtPausedShelters: number | null;
}

@ObjectType('BedTypeCounts')
export class BedTypeCountsModel extends BedCountsModel {
  @Field(() => BedType) bedType: BedType;
}

@ObjectType('RegionCapacity', { description: 'Beds and shelters in a region and every region below it' })
export class RegionCapacityModel {
  @Field(() => ID) regionId: string;
  @Field() regionName: string;
  @Field(() => [BedTypeCountsModel], { description: 'Regular beds by type (emergency overflow is under surge)' })
  byType: BedTypeCountsModel[];
  @Field(() => BedCountsModel, { description: 'All regular beds' }) beds: BedCountsModel;
  @Field(() => BedCountsModel, { description: 'Surge capacity: emergency overflow beds' }) surge: BedCountsModel;
  @Field(() => Int) shelters: number;
  @Field(() => Int) pausedShelters: number;
  @Field(() => Int) sheltersTakingIntakesNow: number;
  @Field(() => Int, { description: 'Shelters whose counts were not verified within the stale window' })
  staleShelters: number;
  @Field(() => GraphQLISODateTime) asOf: Date;
}
