import { ArgsType, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayUnique, IsDate, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { AuditKind } from '@shelterlink/audit';
import { Role } from '@shelterlink/common';
import { PageInfoModel } from '../shelters/shelter.models';

registerEnumType(AuditKind, { name: 'AuditKind' });

@ObjectType('AuditDetail', { description: 'A code, a count or the name of an operation' })
export class AuditDetailModel {
  @Field() key: string;
  @Field(() => String, { nullable: true }) value: string | null;
}

@ObjectType('AuditEvent', { description: 'One entry of the security trail: codes and ids, never survivor data' })
export class AuditEventModel {
  @Field(() => ID) id: string;
  @Field(() => GraphQLISODateTime) occurredAt: Date;
  @Field(() => AuditKind) kind: AuditKind;
  @Field(() => ID, { nullable: true }) actorUserId: string | null;
  @Field(() => Role, { nullable: true }) actorRole: Role | null;
  @Field(() => ID, { nullable: true }) organisationId: string | null;
  @Field(() => String, { nullable: true, description: 'The client address as the API saw it' }) address: string | null;
  @Field(() => String, { nullable: true }) subjectType: string | null;
  @Field(() => String, { nullable: true }) subjectId: string | null;
  @Field(() => [AuditDetailModel]) detail: AuditDetailModel[];
}

@ObjectType('AuditEventEdge')
export class AuditEventEdgeModel {
  @Field() cursor: string;
  @Field(() => AuditEventModel) node: AuditEventModel;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnectionModel {
  @Field(() => [AuditEventEdgeModel]) edges: AuditEventEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
}

@ArgsType()
export class AuditEventsArgs {
  @Field(() => [AuditKind], { nullable: true, description: 'Only these kinds' })
  @IsOptional()
  @ArrayUnique()
  @IsEnum(AuditKind, { each: true })
  kinds?: AuditKind[] | null;
  @Field(() => ID, { nullable: true, description: 'Only what this user did' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) @IsOptional() @Type(() => Date) @IsDate() from?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) @IsOptional() @Type(() => Date) @IsDate() to?: Date | null;
  @Field(() => Int, { defaultValue: 50 }) @IsInt() @Min(1) @Max(100) first: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 200) after?: string | null;
}
