import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, badInput } from '@shelterlink/common';
import { ReferralsService, ReferralTimelineService } from '@shelterlink/referrals';
import { pageCost, statementCost } from '../graphql/operation-limits';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';
import { toNeedsProfile } from '../shelters/shelter.mapper';
import { RecordConsentInput, ReferralsArgs, SubmitReferralInput } from './referral.inputs';
import { toReferralModel } from './referral.mapper';
import {
  ConsentModel,
  IdentityModel,
  ReferralConnectionModel,
  ReferralEventModel,
  ReferralModel,
  ReferralOfferModel,
} from './referral.models';
import { IdempotencyKeyArg } from '../common/idempotency';

@Resolver(() => ReferralModel)
export class ReferralResolver {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly timeline: ReferralTimelineService,
  ) {}

  @Mutation(() => ReferralModel, { description: 'Advocates: a new referral, waiting for consent' })
  async submitReferral(
    @CurrentActor() actor: Actor,
    @Args('input') input: SubmitReferralInput,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<ReferralModel> {
    const needs = toNeedsProfile(input.needs);
    return toReferralModel(await this.referrals.submit(actor, { ...input, needs }));
  }

  @Mutation(() => ReferralModel, { description: 'A consent to share needs starts matching' })
  async recordConsent(
    @CurrentActor() actor: Actor,
    @Args('referralId', { type: () => ID }, UuidPipe) referralId: string,
    @Args('input') input: RecordConsentInput,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<ReferralModel> {
    return toReferralModel(await this.referrals.recordConsent(actor, referralId, input));
  }

  @Mutation(() => ReferralModel, {
    description: 'Takes effect at once: holds are released, shelters stop seeing needs',
  })
  async revokeConsent(
    @CurrentActor() actor: Actor,
    @Args('consentId', { type: () => ID }, UuidPipe) consentId: string,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<ReferralModel> {
    return toReferralModel(await this.referrals.revokeConsent(actor, consentId));
  }

  @Mutation(() => ReferralModel)
  async withdrawReferral(
    @CurrentActor() actor: Actor,
    @Args('referralId', { type: () => ID }, UuidPipe) referralId: string,
    @Args('reason', { type: () => String, nullable: true }) reason?: string | null,
    @IdempotencyKeyArg() _idempotencyKey?: string | null,
  ): Promise<ReferralModel> {
    if (reason != null && (reason.length < 1 || reason.length > 500))
      throw badInput('reason', 'must be 1 to 500 characters');
    return toReferralModel(await this.referrals.withdraw(actor, referralId, reason));
  }

  @Query(() => ReferralModel, { description: "Advocates: their agency's referral", complexity: statementCost })
  async referral(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
  ): Promise<ReferralModel> {
    return toReferralModel(await this.referrals.get(actor, id));
  }

  @Query(() => ReferralConnectionModel, {
    name: 'referrals',
    description: "Advocates: their agency's referrals, newest first",
    complexity: pageCost(20),
  })
  async listReferrals(@CurrentActor() actor: Actor, @Args() args: ReferralsArgs): Promise<ReferralConnectionModel> {
    const page = await this.referrals.list(actor, args);
    return {
      edges: page.items.map((r) => ({ cursor: page.cursorOf(r), node: toReferralModel(r) })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    };
  }

  @ResolveField(() => [ConsentModel], { complexity: statementCost })
  consents(@CurrentActor() actor: Actor, @Parent() referral: ReferralModel): Promise<ConsentModel[]> {
    return this.timeline.consents(actor, referral.id) as Promise<ConsentModel[]>;
  }

  @ResolveField(() => [ReferralEventModel], { complexity: statementCost })
  events(@CurrentActor() actor: Actor, @Parent() referral: ReferralModel): Promise<ReferralEventModel[]> {
    return this.timeline.events(actor, referral.id) as Promise<ReferralEventModel[]>;
  }

  @ResolveField(() => [ReferralOfferModel], {
    description: 'Every offer made for this referral, in order',
    complexity: statementCost,
  })
  offers(@CurrentActor() actor: Actor, @Parent() referral: ReferralModel): Promise<ReferralOfferModel[]> {
    return this.timeline.offers(actor, referral.id) as Promise<ReferralOfferModel[]>;
  }

  @ResolveField(() => IdentityModel, {
    nullable: true,
    description: 'Audited on every read',
    complexity: statementCost,
  })
  identity(@CurrentActor() actor: Actor, @Parent() referral: ReferralModel): Promise<IdentityModel | null> {
    return this.referrals.identity(actor, referral.id);
  }
}
