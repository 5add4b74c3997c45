import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OrganisationKind } from '@shelterlink/accounts';
import { Role } from '@shelterlink/common';

registerEnumType(Role, { name: 'Role' });
registerEnumType(OrganisationKind, { name: 'OrganisationKind' });

@ObjectType('Region')
export class RegionModel {
  @Field(() => ID) id: string;
  @Field() code: string;
  @Field() name: string;
  @Field(() => ID, { nullable: true }) parentId: string | null;
}

@ObjectType('Organisation')
export class OrganisationModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => OrganisationKind) kind: OrganisationKind;
}

@ObjectType('User')
export class UserModel {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() displayName: string;
  @Field(() => Role) role: Role;
  @Field(() => ID, { nullable: true }) organisationId: string | null;
  @Field() active: boolean;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType('LoginResult')
export class LoginResultModel {
  @Field({ description: 'Bearer token for the Authorization header and the WebSocket connectionParams' })
  token: string;
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => UserModel) user: UserModel;
}
