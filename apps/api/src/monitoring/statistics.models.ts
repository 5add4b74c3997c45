import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate } from 'class-validator';
import { OccupancyBucket } from '@shelterlink/monitoring';
import { ReferralState } from '@shelterlink/referrals';
import { ExclusionReason } from '@shelterlink/shelters';
import { BedCountsModel } from './capacity.models';

registerEnumType(OccupancyBucket, { name: 'OccupancyBucket' });

@InputType('PeriodInput', { description: 'A half-open span [from, to) of at most 366 days' })
export class PeriodInput {
  @Field(() => GraphQLISODateTime) @Type(() => Date) @IsDate() from: Date;
  @Field(() => GraphQLISODateTime) @Type(() => Date) @IsDate() to: Date;
}

@ObjectType('Period')
export class PeriodModel {
  @Field(() => GraphQLISODateTime) from: Date;
  @Field(() => GraphQLISODateTime) to: Date;
}

@ObjectType('SuppressedCount', {
  description:
    'A count of referrals; from 1 to k − 1 it is withheld and reads "fewer than k" (small-cell suppression). ' +
    'Where a published total would give a lone withheld count away, one more count is withheld and reads "withheld"',
})
export class SuppressedCountModel {
  @Field(() => Int, { nullable: true, description: 'Null when withheld' }) value: number | null;
  @Field(() => Int, { nullable: true, description: 'k, when withheld for being fewer than k' })
  fewerThan: number | null;
  @Field({ description: '"12" or "fewer than 5"' }) text: string;
}

@ObjectType('Durations', { description: 'Times for the referrals this happened to; null for fewer than k' })
export class DurationsModel {
  @Field(() => SuppressedCountModel) referrals: SuppressedCountModel;
  @Field(() => Int, { nullable: true }) medianSeconds: number | null;
  @Field(() => Int, { nullable: true }) p90Seconds: number | null;
}

@ObjectType('ReferralStateCount')
export class ReferralStateCountModel {
  @Field(() => ReferralState) state: ReferralState;
  @Field(() => SuppressedCountModel) referrals: SuppressedCountModel;
}

@ObjectType('ShelterResponses', { description: 'How a shelter answered the offers made to it in the period' })
export class ShelterResponsesModel {
  @Field(() => ID) shelterId: string;
  @Field() shelterName: string;
  @Field(() => SuppressedCountModel) offers: SuppressedCountModel;
  @Field(() => SuppressedCountModel) accepted: SuppressedCountModel;
  @Field(() => SuppressedCountModel) declined: SuppressedCountModel;
  @Field(() => SuppressedCountModel) timedOut: SuppressedCountModel;
  @Field(() => Int, { nullable: true, description: 'Offer to answer; null for fewer than k answers' })
  medianResponseSeconds: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Accepted ÷ (accepted + declined + timed out); null below k or when one of those is withheld',
  })
  acceptanceRate: number | null;
}

@ObjectType('ReferralStatistics', { description: 'Referrals of a region and below submitted in a period' })
export class ReferralStatisticsModel {
  @Field(() => ID) regionId: string;
  @Field() regionName: string;
  @Field(() => PeriodModel) period: PeriodModel;
  @Field(() => Int, { description: 'k: counts from 1 to k − 1 are withheld' }) suppressionThreshold: number;
  @Field(() => SuppressedCountModel) submitted: SuppressedCountModel;
  @Field(() => [ReferralStateCountModel], { description: 'By the state they are in now' })
  byState: ReferralStateCountModel[];
  @Field(() => DurationsModel) submissionToOffer: DurationsModel;
  @Field(() => DurationsModel) submissionToPlacement: DurationsModel;
  @Field(() => [ShelterResponsesModel]) shelters: ShelterResponsesModel[];
}

@ObjectType('UnmetNeedReason')
export class UnmetNeedReasonModel {
  @Field(() => ExclusionReason) reason: ExclusionReason;
  @Field(() => String, { nullable: true, description: 'e.g. the language asked for; null for rarer details together' })
  detail: string | null;
  @Field({ description: 'e.g. "needs a family unit", "needs language: es"' }) label: string;
  @Field(() => SuppressedCountModel) referrals: SuppressedCountModel;
}

@ObjectType('UnmetNeed', {
  description: 'Referrals submitted in a period that are waitlisted or closed without a placement, and why',
})
export class UnmetNeedModel {
  @Field(() => ID) regionId: string;
  @Field() regionName: string;
  @Field(() => PeriodModel) period: PeriodModel;
  @Field(() => Int) suppressionThreshold: number;
  @Field(() => SuppressedCountModel) referrals: SuppressedCountModel;
  @Field(() => SuppressedCountModel) waitlisted: SuppressedCountModel;
  @Field(() => SuppressedCountModel) closedWithoutPlacement: SuppressedCountModel;
  @Field(() => [UnmetNeedReasonModel], { description: 'Exclusion reasons of their last matching run, most first' })
  reasons: UnmetNeedReasonModel[];
}

@ObjectType('OccupancyPoint', { description: 'Counts as they stood at the end of the bucket (or now)' })
export class OccupancyPointModel {
  @Field(() => GraphQLISODateTime) start: Date;
  @Field(() => GraphQLISODateTime) end: Date;
  @Field(() => BedCountsModel, { description: 'Regular beds' }) beds: BedCountsModel;
  @Field(() => BedCountsModel, { description: 'Emergency overflow beds' }) surge: BedCountsModel;
}

@ObjectType('Occupancy')
export class OccupancyModel {
  @Field(() => ID) regionId: string;
  @Field() regionName: string;
  @Field(() => OccupancyBucket) bucket: OccupancyBucket;
  @Field() timeZone: string;
  @Field(() => [OccupancyPointModel]) points: OccupancyPointModel[];
}
