import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, badInput } from '@shelterlink/common';
import { ExitDestination, OffersService } from '@shelterlink/referrals';
import { pageCost, statementCost } from '../graphql/operation-limits';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';
import { OffersArgs, RespondToOfferInput } from './referral.inputs';
import { toOfferModel } from './referral.mapper';
import { IdentityModel, OfferConnectionModel, OfferModel } from './referral.models';
import { IdempotencyKeyArg } from '../common/idempotency';

@Resolver(() => OfferModel)
export class OfferResolver {
  constructor(private readonly offersService: OffersService) {}

  @Query(() => OfferConnectionModel, {
    description:
      'Shelter staff: offers to your shelters by stage (open by deadline, arrivals by "arrive by", residents by ' +
      'intake, closed newest first), paged',
    complexity: pageCost(20),
  })
  async offers(@CurrentActor() actor: Actor, @Args() args: OffersArgs): Promise<OfferConnectionModel> {
    const page = await this.offersService.list(actor, args);
    return {
      edges: page.items.map((o) => ({ cursor: page.cursorOf(o), node: toOfferModel(o) })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    };
  }

  @Query(() => OfferModel, { description: 'Shelter staff: one offer to your shelters', complexity: statementCost })
  async offer(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, UuidPipe) id: string): Promise<OfferModel> {
    return toOfferModel(await this.offersService.get(actor, id));
  }

  @Mutation(() => OfferModel, { description: 'Accept, or decline with a reason, before the response deadline' })
  async respondToOffer(
    @CurrentActor() actor: Actor,
    @Args('offerId', { type: () => ID }, UuidPipe) offerId: string,
    @Args('input') input: RespondToOfferInput,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<OfferModel> {
    if (input.accept) {
      if (input.declineReason) throw badInput('declineReason', 'only a decline takes a reason');
      if (input.note) throw badInput('note', 'only a decline takes a note');
      return toOfferModel(await this.offersService.accept(actor, offerId, input.intakeInstructions));
    }
    if (!input.declineReason) throw badInput('declineReason', 'a decline needs a reason');
    if (input.intakeInstructions) throw badInput('intakeInstructions', 'only an acceptance takes intake instructions');
    return toOfferModel(await this.offersService.decline(actor, offerId, input.declineReason, input.note));
  }

  @Mutation(() => OfferModel, { description: 'The survivor arrived: the held bed becomes occupied' })
  async confirmIntake(
    @CurrentActor() actor: Actor,
    @Args('offerId', { type: () => ID }, UuidPipe) offerId: string,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ) {
    return toOfferModel(await this.offersService.confirmIntake(actor, offerId));
  }

  @Mutation(() => OfferModel, { description: 'The survivor did not arrive: the bed is released and matching resumes' })
  async recordNoShow(
    @CurrentActor() actor: Actor,
    @Args('offerId', { type: () => ID }, UuidPipe) offerId: string,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ) {
    return toOfferModel(await this.offersService.recordNoShow(actor, offerId));
  }

  @Mutation(() => OfferModel, { description: 'The resident left: the bed is freed and the destination recorded' })
  async recordExit(
    @CurrentActor() actor: Actor,
    @Args('offerId', { type: () => ID }, UuidPipe) offerId: string,
    @Args('destination', { type: () => ExitDestination }) destination: ExitDestination,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ) {
    return toOfferModel(await this.offersService.recordExit(actor, offerId, destination));
  }

  @ResolveField(() => IdentityModel, {
    nullable: true,
    description: 'Only after acceptance, under a consent that names this shelter; every read is audited',
    complexity: statementCost,
  })
  identity(@CurrentActor() actor: Actor, @Parent() offer: OfferModel): Promise<IdentityModel | null> {
    return this.offersService.identity(actor, offer.id);
  }
}
