import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  BedType,
  ExclusionReason,
  Gender,
  ImmigrationPolicy,
  ImmigrationStatus,
  Programming,
  ShelterService,
  ShelterStatus,
  SubstanceUse,
  SubstanceUsePolicy,
  TraffickingType,
  Urgency,
} from '@shelterlink/shelters';

registerEnumType(Gender, { name: 'Gender' });
registerEnumType(TraffickingType, { name: 'TraffickingType' });
registerEnumType(BedType, { name: 'BedType' });
registerEnumType(ShelterService, { name: 'ShelterService' });
registerEnumType(ShelterStatus, { name: 'ShelterStatus' });
registerEnumType(SubstanceUsePolicy, { name: 'SubstanceUsePolicy' });
registerEnumType(SubstanceUse, { name: 'SubstanceUse' });
registerEnumType(ImmigrationPolicy, { name: 'ImmigrationPolicy' });
registerEnumType(ImmigrationStatus, { name: 'ImmigrationStatus' });
registerEnumType(Programming, { name: 'Programming' });
registerEnumType(Urgency, { name: 'Urgency' });
registerEnumType(ExclusionReason, { name: 'ExclusionReason' });

@ObjectType('ApproximateLocation', { description: 'Coarsened to about 1 km; never the street address' })
export class ApproximateLocationModel {
  @Field(() => Float) latitude: number;
  @Field(() => Float) longitude: number;
}

@ObjectType('Eligibility')
export class EligibilityModel {
  @Field(() => [Gender]) genders: Gender[];
  @Field(() => Int) minAge: number;
  @Field(() => Int) maxAge: number;
  @Field() acceptsUnaccompaniedMinors: boolean;
  @Field() acceptsChildren: boolean;
  @Field(() => Int) maxChildren: number;
  @Field(() => Int) childMinAge: number;
  @Field(() => Int) childMaxAge: number;
  @Field(() => [TraffickingType]) traffickingTypes: TraffickingType[];
  @Field(() => [String], { description: 'ISO 639-1 codes' }) languages: string[];
  @Field() wheelchairAccessible: boolean;
  @Field() petsAllowed: boolean;
  @Field(() => SubstanceUsePolicy) substanceUsePolicy: SubstanceUsePolicy;
  @Field() lgbtqAffirming: boolean;
  @Field() requiresLawEnforcementCooperation: boolean;
  @Field(() => ImmigrationPolicy) immigrationPolicy: ImmigrationPolicy;
  @Field() acceptsTraffickingRelatedRecords: boolean;
  @Field() requiresIdDocuments: boolean;
  @Field(() => Programming) programming: Programming;
  @Field(() => String, { nullable: true, description: 'Local time residents must be in by' }) curfew: string | null;
  @Field(() => Int, { nullable: true }) maxStayDays: number | null;
}

/** A hold means a survivor is on the way: the breakdown is for those who must know. */
const BREAKDOWN =
  "Null unless you are the shelter's staff, a coordinator of its region or an admin (a hold means a survivor is on the way)";

@ObjectType('BedPool')
export class BedPoolModel {
  @Field(() => ID) id: string;
  @Field(() => ID) shelterId: string;
  @Field(() => BedType) bedType: BedType;
  @Field(() => Int) capacity: number;
  @Field(() => Int, { nullable: true, description: BREAKDOWN }) occupied: number | null;
  @Field(() => Int, { nullable: true, description: BREAKDOWN }) held: number | null;
  @Field(() => Int, { nullable: true, description: BREAKDOWN }) outOfService: number | null;
  @Field(() => Int, { description: 'capacity − occupied − held − outOfService' }) available: number;
  @Field(() => Int, { nullable: true, description: `Pass as expectedVersion to setBedCounts. ${BREAKDOWN}` })
  version: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: `When a count last changed. ${BREAKDOWN}` })
  updatedAt: Date | null;
}

@ObjectType('Shelter')
export class ShelterModel {
  @Field(() => ID) id: string;
  @Field(() => ID) organisationId: string;
  @Field(() => ID) regionId: string;
  @Field() name: string;
  @Field() city: string;
  @Field(() => ApproximateLocationModel) approximateLocation: ApproximateLocationModel;
  @Field() locationConfidential: boolean;
  @Field(() => String, { nullable: true, description: "Null unless public or you are this shelter's staff" })
  address: string | null;
  @Field(() => String, { nullable: true, description: "Null unless public or you are this shelter's staff" })
  intakePhone: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The default intake instructions given to an agency on acceptance; null unless you are this shelter's staff",
  })
  intakeInstructions: string | null;
  @Field(() => [ShelterService]) services: ShelterService[];
  @Field() intakeAlwaysOpen: boolean;
  @Field(() => [Int], { description: 'ISO weekdays (1 = Monday) on which the intake window opens' })
  intakeDays: number[];
  @Field(() => String, { nullable: true }) intakeOpens: string | null;
  @Field(() => String, { nullable: true }) intakeCloses: string | null;
  @Field() timeZone: string;
  @Field() acceptingIntakesNow: boolean;
  @Field(() => Int) holdMinutes: number;
  @Field(() => Int) responseMinutes: number;
  @Field(() => ShelterStatus) status: ShelterStatus;
  @Field(() => GraphQLISODateTime) availabilityVerifiedAt: Date;
  @Field({ description: 'Counts not verified within the configured window' }) stale: boolean;
  @Field(() => EligibilityModel) eligibility: EligibilityModel;
}

@ObjectType('ShelterEdge')
export class ShelterEdgeModel {
  @Field() cursor: string;
  @Field(() => ShelterModel) node: ShelterModel;
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@ObjectType('ShelterConnection')
export class ShelterConnectionModel {
  @Field(() => [ShelterEdgeModel]) edges: ShelterEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
}

@ObjectType('ShelterSummary', { description: "A shelter's public view: never an address or phone" })
export class ShelterSummaryModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() city: string;
  @Field(() => ID) regionId: string;
  @Field(() => ApproximateLocationModel) approximateLocation: ApproximateLocationModel;
  @Field(() => [ShelterService]) services: ShelterService[];
  @Field(() => Int) holdMinutes: number;
  @Field(() => Int) responseMinutes: number;
}

@ObjectType('BedMatch')
export class BedMatchModel {
  @Field(() => Int, { description: '1 = best' }) rank: number;
  @Field(() => ShelterSummaryModel) shelter: ShelterSummaryModel;
  @Field(() => ID) poolId: string;
  @Field(() => BedType) bedType: BedType;
  @Field(() => Int) available: number;
  @Field(() => Int, { nullable: true, description: 'Rounded to the kilometre; null without a location' })
  distanceKm: number | null;
  @Field(() => GraphQLISODateTime) availabilityVerifiedAt: Date;
  @Field() stale: boolean;
  @Field() acceptingIntakesNow: boolean;
  @Field(() => Int, {
    nullable: true,
    description:
      'Minutes until intake next opens (0: open now; null: not within a week). Ranking asks that it open within ' +
      'the urgency: now for TONIGHT, within 72 hours, within a week for PLANNED',
  })
  intakeOpensInMinutes: number | null;
  @Field({ description: 'No staff language matches; the shelter offers interpretation' })
  languageViaInterpretation: boolean;
  @Field(() => [ShelterService], { description: 'Services needed that this shelter does not offer' })
  servicesMissing: ShelterService[];
}

@ObjectType('ExclusionCount')
export class ExclusionCountModel {
  @Field(() => ExclusionReason) reason: ExclusionReason;
  @Field(() => Int) shelters: number;
}

@ObjectType('BedSearchResult')
export class BedSearchResultModel {
  @Field(() => [BedMatchModel]) matches: BedMatchModel[];
  @Field(() => Int, { description: 'Shelters examined, nearest first' }) examinedShelters: number;
  @Field(() => Int) excludedShelters: number;
  @Field(() => [ExclusionCountModel], { description: 'A shelter failing several rules counts under each reason' })
  exclusions: ExclusionCountModel[];
  @Field(() => [ExclusionCountModel], {
    description: 'Shelters that failed on one reason alone: they would have fitted but for it',
  })
  nearMisses: ExclusionCountModel[];
}

@ObjectType('AvailabilityConfirmation')
export class AvailabilityConfirmationModel {
  @Field(() => ID) shelterId: string;
  @Field(() => GraphQLISODateTime) availabilityVerifiedAt: Date;
}

@ObjectType('BedAvailabilityChange', { description: 'The counts of one pool after a change, as you may see them' })
export class BedAvailabilityChangeModel {
  @Field(() => ID) shelterId: string;
  @Field(() => ID) regionId: string;
  @Field(() => ID) poolId: string;
  @Field(() => BedType) bedType: BedType;
  @Field(() => Int) capacity: number;
  @Field(() => Int, { nullable: true, description: BREAKDOWN }) occupied: number | null;
  @Field(() => Int, { nullable: true, description: BREAKDOWN }) held: number | null;
  @Field(() => Int, { nullable: true, description: BREAKDOWN }) outOfService: number | null;
  @Field(() => Int) available: number;
  @Field(() => Int, { nullable: true, description: BREAKDOWN }) version: number | null;
  @Field(() => GraphQLISODateTime) availabilityVerifiedAt: Date;
}
