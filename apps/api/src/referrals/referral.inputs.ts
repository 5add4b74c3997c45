import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConsentMethod, ConsentScope, DeclineReason, OfferStage, ReferralState } from '@shelterlink/referrals';
import { NeedsInput } from '../shelters/shelter.inputs';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType({ description: 'Optional, never a condition of service; stored encrypted' })
export class IdentityInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?:
    string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'use YYYY-MM-DD' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'is not a real date' })
  dateOfBirth?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ().-]{5,32}$/, { message: 'is not a phone number' })
  phone?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 2000) notes?: string | null;
}

@InputType()
export class SubmitReferralInput {
  @Field(() => ID, { description: 'Where the survivor is now (for routing and statistics)' })
  @IsUUID()
  regionId: string;
  @Field(() => NeedsInput) @ValidateNested() @Type(() => NeedsInput) needs: NeedsInput;
  @Field(() => IdentityInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityInput)
  identity?: IdentityInput | null;
  @Field(() => ID, { nullable: true, description: 'The referral this one continues (e.g. emergency → transitional)' })
  @IsOptional()
  @IsUUID()
  previousReferralId?: string | null;
}

@InputType()
export class RecordConsentInput {
  @Field(() => [ConsentScope])
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(ConsentScope, { each: true })
  scopes: ConsentScope[];
  @Field(() => ConsentMethod) @IsEnum(ConsentMethod) method: ConsentMethod;
  @Field(() => GraphQLISODateTime, { description: 'No later than the configured maximum' })
  @Type(() => Date)
  @IsDate()
  expiresAt: Date;
  @Field(() => ID, {
    nullable: true,
    description: 'With SHARE_IDENTITY_WITH_RECIPIENT: the one shelter that may see it',
  })
  @IsOptional()
  @IsUUID()
  recipientShelterId?: string | null;
}

@InputType()
export class RespondToOfferInput {
  @Field() @IsBoolean() accept: boolean;
  @Field(() => DeclineReason, { nullable: true })
  @IsOptional()
  @IsEnum(DeclineReason)
  declineReason?: DeclineReason | null;
  @Field(() => String, { nullable: true, description: 'On a decline: your own words (purged later)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  note?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "On acceptance: what the referring advocate receives (intake phone, meeting point or address); default: the shelter's intakeInstructions",
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  intakeInstructions?: string | null;
}

@ArgsType()
export class ReferralsArgs {
  @Field(() => ReferralState, { nullable: true }) @IsOptional() @IsEnum(ReferralState) state?: ReferralState | null;
  @Field(() => Int, { defaultValue: 20 }) @IsInt() @Min(1) @Max(100) first: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 1000) after?: string | null;
}

@ArgsType()
export class OffersArgs {
  @Field(() => ID, { nullable: true, description: 'One of your shelters; default: all of them' })
  @IsOptional()
  @IsUUID()
  shelterId?: string | null;
  @Field(() => [OfferStage], {
    nullable: true,
    description: 'Default: what you act on (OPEN, AWAITING_ARRIVAL, RESIDENT); add CLOSED for past offers',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(OfferStage, { each: true })
  stages?: OfferStage[] | null;
  @Field(() => Int, { defaultValue: 20 }) @IsInt() @Min(1) @Max(100) first: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 1000) after?: string | null;
}
