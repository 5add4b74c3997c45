import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { OrganisationsService } from '@shelterlink/accounts';
import { Actor } from '@shelterlink/common';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateOrganisationInput, RenameOrganisationInput } from './account.inputs';
import { OrganisationModel } from './account.models';
import { statementCost } from '../graphql/operation-limits';

@Resolver(() => OrganisationModel)
export class OrganisationResolver {
  constructor(private readonly service: OrganisationsService) {}

  @Query(() => [OrganisationModel], {
    description: 'Admins: every organisation; others: their own',
    complexity: statementCost,
  })
  organisations(@CurrentActor() actor: Actor): Promise<OrganisationModel[]> {
    return this.service.list(actor);
  }

  @Mutation(() => OrganisationModel)
  createOrganisation(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateOrganisationInput,
  ): Promise<OrganisationModel> {
    return this.service.create(actor, input);
  }

  @Mutation(() => OrganisationModel)
  renameOrganisation(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @Args('input') input: RenameOrganisationInput,
  ): Promise<OrganisationModel> {
    return this.service.rename(actor, id, input.name);
  }
}
