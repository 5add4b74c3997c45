import { applyDecorators } from '@nestjs/common';
import { ArgsType, Field, Float, GraphQLISODateTime, ID, InputType, Int, OmitType, PartialType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  BedType,
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

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIME_MESSAGE = 'use 24-hour HH:MM';
const LANGUAGE = /^[a-z]{2,3}$/;
const LANGUAGE_MESSAGE = 'each must be an ISO 639 language code such as "en" or "es"';
const PHONE = /^\+?[0-9 ().-]{5,32}$/;

@InputType()
export class LocationInput {
  @Field(() => Float) @IsLatitude() latitude: number;
  @Field(() => Float) @IsLongitude() longitude: number;
}

@InputType()
export class EligibilityInput {
  @Field(() => [Gender]) @ArrayMinSize(1) @ArrayUnique() @IsEnum(Gender, { each: true }) genders: Gender[];
  @Field(() => Int) @IsInt() @Min(0) @Max(120) minAge: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(120) maxAge: number;
  @Field() @IsBoolean() acceptsUnaccompaniedMinors: boolean;
  @Field() @IsBoolean() acceptsChildren: boolean;
  @Field(() => Int) @IsInt() @Min(0) @Max(20) maxChildren: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(17) childMinAge: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(17) childMaxAge: number;
  @Field(() => [TraffickingType])
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(TraffickingType, { each: true })
  traffickingTypes: TraffickingType[];
  @Field(() => [String])
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ArrayUnique()
  @Matches(LANGUAGE, { each: true, message: LANGUAGE_MESSAGE })
  languages: string[];
  @Field() @IsBoolean() wheelchairAccessible: boolean;
  @Field() @IsBoolean() petsAllowed: boolean;
  @Field(() => SubstanceUsePolicy) @IsEnum(SubstanceUsePolicy) substanceUsePolicy: SubstanceUsePolicy;
  @Field() @IsBoolean() lgbtqAffirming: boolean;
  @Field() @IsBoolean() requiresLawEnforcementCooperation: boolean;
  @Field(() => ImmigrationPolicy) @IsEnum(ImmigrationPolicy) immigrationPolicy: ImmigrationPolicy;
  @Field() @IsBoolean() acceptsTraffickingRelatedRecords: boolean;
  @Field() @IsBoolean() requiresIdDocuments: boolean;
  @Field(() => Programming) @IsEnum(Programming) programming: Programming;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(TIME, { message: TIME_MESSAGE }) curfew:
    string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(3650) maxStayDays: number | null;
}

@InputType()
export class CreateShelterInput {
  @Field() @Transform(trim) @IsString() @Length(1, 200) name: string;
  @Field(() => ID) @IsUUID() regionId: string;
  @Field() @Transform(trim) @IsString() @Length(1, 120) city: string;
  @Field(() => LocationInput, { description: 'Stored coarsened to about 1 km' })
  @ValidateNested()
  @Type(() => LocationInput)
  location: LocationInput;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() locationConfidential?: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @Transform(trim) @IsString() @Length(1, 300) address?:
    string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Transform(trim)
  @Matches(PHONE, { message: 'is not a phone number' })
  intakePhone?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'What a referring agency receives when you accept without typing instructions: an intake phone, a meeting ' +
      'point, or the address if you give it. Seen only by your staff, and by the agency of an accepted offer',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  intakeInstructions?: string | null;
  @Field(() => [ShelterService], { nullable: true })
  @IsOptional()
  @ArrayUnique()
  @IsEnum(ShelterService, { each: true })
  services?: ShelterService[];
  @Field({ nullable: true, description: '24/7 intake' }) @IsOptional() @IsBoolean() intakeAlwaysOpen?: boolean;
  @Field(() => [Int], { nullable: true, description: 'ISO weekdays, 1 = Monday' })
  @IsOptional()
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  intakeDays?: number[];
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(TIME, { message: TIME_MESSAGE }) intakeOpens?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(TIME, { message: TIME_MESSAGE }) intakeCloses?:
    string | null;
  @Field({ nullable: true, description: 'IANA time zone, e.g. America/Chicago' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timeZone?: string;
  @Field(() => Int, { nullable: true, description: 'How long a held bed stays held' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(2880)
  holdMinutes?: number;
  @Field(() => Int, { nullable: true, description: 'How soon staff answer an offer' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  responseMinutes?: number;
  @Field(() => ShelterStatus, { nullable: true }) @IsOptional() @IsEnum(ShelterStatus) status?: ShelterStatus;
  @Field(() => EligibilityInput, {
    nullable: true,
    description: 'Defaults: adult women, both trafficking types, English',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EligibilityInput)
  eligibility?: EligibilityInput;
}

@InputType()
export class UpdateShelterInput extends PartialType(OmitType(CreateShelterInput, ['eligibility'] as const)) {}

const REASON_LENGTH = 500;

@InputType()
export class UpsertBedPoolInput {
  @Field(() => ID) @IsUUID() shelterId: string;
  @Field(() => BedType) @IsEnum(BedType) bedType: BedType;
  @Field(() => Int) @IsInt() @Min(0) @Max(10_000) capacity: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, REASON_LENGTH) reason?: string | null;
}

/** When staff made a count change, if earlier than it is sent (queued offline); checked by BedPoolsService. */
const MadeAt = () =>
  applyDecorators(
    Field(() => GraphQLISODateTime, {
      nullable: true,
      description:
        'When staff made this change, if earlier (a change queued offline): at most OFFLINE_CHANGE_MAX_HOURS (12) ago',
    }),
    IsOptional(),
    IsDate(),
  );

@InputType()
export class AdjustBedsInput {
  @Field(() => ID) @IsUUID() poolId: string;
  @Field(() => Int, { defaultValue: 0 }) @IsInt() @Min(-10_000) @Max(10_000) occupiedDelta: number;
  @Field(() => Int, { defaultValue: 0 }) @IsInt() @Min(-10_000) @Max(10_000) outOfServiceDelta: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, REASON_LENGTH) reason?: string | null;
  @MadeAt() madeAt?: Date | null;
}

@InputType()
export class SetBedCountsInput {
  @Field(() => ID) @IsUUID() poolId: string;
  @Field(() => Int, { description: 'The version you read; a stale one gets VERSION_CONFLICT' })
  @IsInt()
  @Min(1)
  expectedVersion: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(10_000) capacity?: number | null;
  @Field(() => Int) @IsInt() @Min(0) @Max(10_000) occupied: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(10_000) outOfService: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, REASON_LENGTH) reason?: string | null;
  @MadeAt() madeAt?: Date | null;
}

@InputType({ description: 'What the survivor needs; carries no name or other identity' })
export class NeedsInput {
  @Field(() => Int) @IsInt() @Min(0) @Max(120) age: number;
  @Field(() => Gender) @IsEnum(Gender) gender: Gender;
  @Field(() => [Int], { defaultValue: [], description: 'Ages of accompanying children' })
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(17, { each: true })
  childrenAges: number[];
  @Field(() => [String], { defaultValue: [], description: 'ISO 639 codes the survivor speaks' })
  @ArrayMaxSize(10)
  @Matches(LANGUAGE, { each: true, message: LANGUAGE_MESSAGE })
  languages: string[];
  @Field({ defaultValue: false }) @IsBoolean() wheelchairUser: boolean;
  @Field({ defaultValue: false }) @IsBoolean() hasPets: boolean;
  @Field(() => SubstanceUse, { defaultValue: SubstanceUse.NONE }) @IsEnum(SubstanceUse) substanceUse: SubstanceUse;
  @Field(() => [TraffickingType])
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(TraffickingType, { each: true })
  traffickingTypes: TraffickingType[];
  @Field({ defaultValue: false }) @IsBoolean() lgbtqAffirmingRequired: boolean;
  @Field({ defaultValue: false }) @IsBoolean() willingToInvolveLawEnforcement: boolean;
  @Field(() => ImmigrationStatus, { defaultValue: ImmigrationStatus.UNKNOWN })
  @IsEnum(ImmigrationStatus)
  immigrationStatus: ImmigrationStatus;
  @Field({ defaultValue: false }) @IsBoolean() hasTraffickingRelatedRecord: boolean;
  @Field({ defaultValue: true }) @IsBoolean() hasIdDocuments: boolean;
  @Field({ defaultValue: false }) @IsBoolean() requiresVoluntaryProgramming: boolean;
  @Field({ defaultValue: false }) @IsBoolean() cannotKeepCurfew: boolean;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(3650) minimumStayDays: number | null;
  @Field(() => [ShelterService], { defaultValue: [] })
  @ArrayUnique()
  @IsEnum(ShelterService, { each: true })
  servicesNeeded: ShelterService[];
  @Field(() => Urgency) @IsEnum(Urgency) urgency: Urgency;
  @Field(() => LocationInput, {
    nullable: true,
    description: 'Approximate current location, for distance: coarsened to 0.01° (about 1 km) before use or storage',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationInput)
  location: LocationInput | null;
  @Field(() => Float, { nullable: true, description: 'Only shelters within this many km of the location' })
  @IsOptional()
  @Min(1)
  @Max(2000)
  radiusKm: number | null;
  @Field(() => [ID], {
    defaultValue: [],
    description: 'Never place here (and below), e.g. where the trafficker operates',
  })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  excludedRegionIds: string[];
  @Field(() => [ID], { defaultValue: [] })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  preferredRegionIds: string[];
}

@ArgsType()
export class SearchBedsArgs {
  @Field(() => NeedsInput) @ValidateNested() @Type(() => NeedsInput) needs: NeedsInput;
  @Field(() => Int, { defaultValue: 10 }) @IsInt() @Min(1) @Max(100) first: number;
}

@ArgsType()
export class SheltersArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most 100' }) @IsInt() @Min(1) @Max(100) first: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 1000) after?: string | null;
  @Field(() => ID, { nullable: true, description: 'Shelters in this region or below it' })
  @IsOptional()
  @IsUUID()
  regionId?: string | null;
  @Field(() => Boolean, { nullable: true, description: "Only your organisation's shelters" })
  @IsOptional()
  @IsBoolean()
  mine?: boolean | null;
}
