import { Inject } from '@nestjs/common';
import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Actor, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { PUB_SUB, Topics } from '@shelterlink/queue';
import { OfferNotice, OfferUpdate, ReferralsService, ReferralUpdate, WaitlistAlert } from '@shelterlink/referrals';
import { assertRole, RegionsService } from '@shelterlink/accounts';
import { SheltersService } from '@shelterlink/shelters';
import { CurrentActor } from '../common/current-actor.decorator';
import { exclusionCounts } from '../shelters/shelter.mapper';
import type { RequestContext } from '../common/request-context';
import { UuidPipe } from '../common/uuid.pipe';
import { OfferNoticeModel, OfferUpdateModel, ReferralUpdateModel, WaitlistAlertModel } from './referral.models';

const stillActive = (_payload: unknown, _args: unknown, ctx: RequestContext) => ctx.stillActive();

@Resolver()
export class ReferralLiveResolver {
  constructor(
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly referrals: ReferralsService,
    private readonly shelters: SheltersService,
    private readonly regions: RegionsService,
    private readonly config: AppConfig,
  ) {}

  @Subscription(() => WaitlistAlertModel, {
    description: 'Coordinators (their regions) and admins: a referral here was waitlisted, and why',
    filter: stillActive,
    resolve: (a: WaitlistAlert, args: { regionId: string }) => ({
      regionId: args.regionId,
      urgency: a.urgency,
      exclusions: exclusionCounts(a.exclusions),
      blockedBy: a.blockedBy,
      waitlistedAt: new Date(a.waitlistedAt),
    }),
  })
  async waitlistAlert(
    @CurrentActor() actor: Actor,
    @Args('regionId', { type: () => ID }, UuidPipe) regionId: string,
  ): Promise<AsyncIterator<WaitlistAlert>> {
    assertRole(actor, Role.REGIONAL_COORDINATOR, Role.ADMIN);
    await this.regions.getVisible(actor, regionId);
    return this.pubSub.asyncIterator<WaitlistAlert>(Topics.waitlistAlert(this.config, regionId));
  }

  @Subscription(() => ReferralUpdateModel, {
    description: 'The referring agency: every state change of its referral',
    filter: stillActive,
    resolve: (u: ReferralUpdate) => ({ ...u, reasonCode: u.reasonCode ?? null, occurredAt: new Date(u.occurredAt) }),
  })
  async referralUpdated(
    @CurrentActor() actor: Actor,
    @Args('referralId', { type: () => ID }, UuidPipe) referralId: string,
  ): Promise<AsyncIterator<ReferralUpdate>> {
    await this.referrals.get(actor, referralId);
    return this.pubSub.asyncIterator<ReferralUpdate>(Topics.referralUpdated(this.config, referralId));
  }

  @Subscription(() => OfferNoticeModel, {
    description: "The shelter's staff: a new offer (read it with the offers query)",
    filter: stillActive,
    resolve: (o: OfferNotice) => ({ ...o, respondBy: new Date(o.respondBy) }),
  })
  async offerReceived(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
  ): Promise<AsyncIterator<OfferNotice>> {
    await this.shelters.assertOwn(actor, shelterId);
    return this.pubSub.asyncIterator<OfferNotice>(Topics.offerReceived(this.config, shelterId));
  }

  @Subscription(() => OfferUpdateModel, {
    description:
      "The shelter's staff: every change of stage of its offers (new, accepted, intake, closed: declined, timed " +
      'out, withdrawn, consent revoked or lapsed, no-show, exit)',
    filter: stillActive,
    resolve: (o: OfferUpdate) => ({ ...o, occurredAt: new Date(o.occurredAt) }),
  })
  async offerUpdated(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
  ): Promise<AsyncIterator<OfferUpdate>> {
    await this.shelters.assertOwn(actor, shelterId);
    return this.pubSub.asyncIterator<OfferUpdate>(Topics.offerUpdated(this.config, shelterId));
  }
}
