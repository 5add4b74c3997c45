import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, badInput } from '@shelterlink/common';
import { ExitDestination, OffersService, ReferralsService } from '@shelterlink/referrals';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';
import { RespondToOfferInput } from './referral.inputs';
import { toOfferModel } from './referral.mapper';
import { IdentityModel, OfferModel } from './referral.models';

@Resolver(() => OfferModel)
export class OfferResolver {
  constructor(
    private readonly offersService: OffersService,
    private readonly referrals: ReferralsService,
  ) {}

  @Query(() => [OfferModel], { description: 'Shelter staff: open offers to their shelters, soonest deadline first' })
  async offers(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID, nullable: true }, UuidPipe) shelterId?: string | null,
  ): Promise<OfferModel[]> {
    return (await this.offersService.open(actor, shelterId)).map(toOfferModel);
  }

  @Mutation(() => OfferModel, { description: 'Accept, or decline with a reason, before the response deadline' })
  async respondToOffer(
    @CurrentActor() actor: Actor,
    @Args('offerId', { type: () => ID }, UuidPipe) offerId: string,
    @Args('input') input: RespondToOfferInput,
  ): Promise<OfferModel> {
    if (input.accept) {
      if (input.declineReason) throw badInput('declineReason', 'only a decline takes a reason');
      return toOfferModel(await this.offersService.accept(actor, offerId, input.intakeInstructions));
    }
    if (!input.declineReason) throw badInput('declineReason', 'a decline needs a reason');
    return toOfferModel(await this.offersService.decline(actor, offerId, input.declineReason, input.note));
  }

  @Mutation(() => OfferModel, { description: 'The survivor arrived: the held bed becomes occupied' })
  async confirmIntake(@CurrentActor() actor: Actor, @Args('offerId', { type: () => ID }, UuidPipe) offerId: string) {
    return toOfferModel(await this.offersService.confirmIntake(actor, offerId));
  }

  @Mutation(() => OfferModel, { description: 'The survivor did not arrive: the bed is released and matching resumes' })
  async recordNoShow(@CurrentActor() actor: Actor, @Args('offerId', { type: () => ID }, UuidPipe) offerId: string) {
    return toOfferModel(await this.offersService.recordNoShow(actor, offerId));
  }

  @Mutation(() => OfferModel, { description: 'The resident left: the bed is freed and the destination recorded' })
  async recordExit(
    @CurrentActor() actor: Actor,
    @Args('offerId', { type: () => ID }, UuidPipe) offerId: string,
    @Args('destination', { type: () => ExitDestination }) destination: ExitDestination,
  ) {
    return toOfferModel(await this.offersService.recordExit(actor, offerId, destination));
  }

  @ResolveField(() => IdentityModel, {
    nullable: true,
    description: 'Only after acceptance, under a consent that names this shelter; audited',
  })
  identity(@CurrentActor() actor: Actor, @Parent() offer: OfferModel): Promise<IdentityModel | null> {
    return this.referrals.identity(actor, offer.referralId);
  }
}
