import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { OrganisationKind } from '@shelterlink/accounts';
import { Role } from '@shelterlink/common';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@ArgsType()
export class LoginArgs {
  @Field() @IsString() @Length(3, 254) @Transform(trim) email: string;
  @Field() @IsString() @Length(1, 256) password: string;
}

@ArgsType()
export class SignOutArgs {
  @Field({ defaultValue: false, description: 'End every session of yours, on every device (signed in only)' })
  @IsBoolean()
  everywhere: boolean;
}

@InputType()
export class CreateRegionInput {
  @Field()
  @Transform(trim)
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,31}$/, { message: 'use 1–32 capital letters, digits or dashes' })
  code: string;
  @Field() @Transform(trim) @IsString() @Length(1, 120) name: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() parentId?: string | null;
}

@InputType()
export class UpdateRegionInput {
  @Field({ nullable: true })
  @IsOptional()
  @Transform(trim)
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,31}$/, { message: 'use 1–32 capital letters, digits or dashes' })
  code?: string;
  @Field({ nullable: true }) @IsOptional() @Transform(trim) @IsString() @Length(1, 120) name?: string;
  @Field(() => ID, { nullable: true, description: 'A new parent; null makes the region a root' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID()
  parentId?: string | null;
}

@InputType()
export class CreateOrganisationInput {
  @Field() @Transform(trim) @IsString() @Length(1, 200) name: string;
  @Field(() => OrganisationKind) @IsEnum(OrganisationKind) kind: OrganisationKind;
}

@InputType()
export class RenameOrganisationInput {
  @Field() @Transform(trim) @IsString() @Length(1, 200) name: string;
}

@InputType()
export class CreateUserInput {
  @Field() @Transform(trim) @IsEmail() @MaxLength(254) email: string;
  @Field() @Transform(trim) @IsString() @Length(1, 120) displayName: string;
  @Field() @IsString() @Length(12, 256, { message: 'must be 12 to 256 characters' }) password: string;
  @Field(() => Role) @IsEnum(Role) role: Role;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() organisationId?: string | null;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  regionIds?: string[];
}

@InputType()
export class UpdateUserInput {
  @Field({ nullable: true }) @IsOptional() @Transform(trim) @IsString() @Length(1, 120) displayName?: string;
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(12, 256, { message: 'must be 12 to 256 characters' })
  password?: string;
  @Field(() => Role, {
    nullable: true,
    description:
      'A new role. Its organisation must be of the kind the role belongs to (organisationId, or the one the user ' +
      'has); a coordinator needs regionIds; other roles lose their regions. Every sign-in of the user ends.',
  })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;
  @Field(() => ID, {
    nullable: true,
    description: 'A new organisation (null only for admins, who belong to none). Every sign-in of the user ends.',
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID()
  organisationId?: string | null;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  regionIds?: string[];
}
