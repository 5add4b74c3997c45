import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ConsentMethod,
  ConsentScope,
  DeclineReason,
  ExitDestination,
  OfferClosedReason,
  OfferStage,
  OfferStatus,
  ReferralEventReason,
  ReferralState,
} from '@shelterlink/referrals';
import {
  ExclusionReason,
  Gender,
  ImmigrationStatus,
  ShelterService,
  SubstanceUse,
  TraffickingType,
  Urgency,
} from '@shelterlink/shelters';
import { ApproximateLocationModel, ExclusionCountModel, PageInfoModel } from '../shelters/shelter.models';

registerEnumType(ReferralState, { name: 'ReferralState' });
registerEnumType(ConsentScope, { name: 'ConsentScope' });
registerEnumType(ConsentMethod, { name: 'ConsentMethod' });
registerEnumType(DeclineReason, { name: 'DeclineReason' });
registerEnumType(ExitDestination, { name: 'ExitDestination' });

registerEnumType(OfferStatus, {
  name: 'OfferStatus',
  description: "The shelter's answer; CANCELLED: taken back (withdrawn, consent revoked or lapsed, a no-show)",
});
registerEnumType(OfferStage, {
  name: 'OfferStage',
  description: 'Where an offer stands for the shelter: what its staff act on next',
  valuesMap: {
    OPEN: { description: 'Waiting for your answer by respondBy' },
    AWAITING_ARRIVAL: { description: 'Accepted: the bed is held until holdExpiresAt (confirm intake or a no-show)' },
    RESIDENT: { description: 'Intake confirmed: record the exit when the resident leaves' },
    CLOSED: { description: 'Over: see closedReason' },
  },
});
registerEnumType(OfferClosedReason, { name: 'OfferClosedReason' });
registerEnumType(ReferralEventReason, {
  name: 'ReferralEventReason',
  description: 'Why a referral moved: show your own words for it (`reason` is the server English beside it)',
});

@ObjectType('Needs', { description: 'A de-identified needs profile: no name, no contact' })
export class NeedsModel {
  @Field(() => Int) age: number;
  @Field(() => Gender) gender: Gender;
  @Field(() => [Int]) childrenAges: number[];
  @Field(() => [String]) languages: string[];
  @Field() wheelchairUser: boolean;
  @Field() hasPets: boolean;
  @Field(() => SubstanceUse) substanceUse: SubstanceUse;
  @Field(() => [TraffickingType]) traffickingTypes: TraffickingType[];
  @Field() lgbtqAffirmingRequired: boolean;
  @Field() willingToInvolveLawEnforcement: boolean;
  @Field(() => ImmigrationStatus) immigrationStatus: ImmigrationStatus;
  @Field() hasTraffickingRelatedRecord: boolean;
  @Field() hasIdDocuments: boolean;
  @Field() requiresVoluntaryProgramming: boolean;
  @Field() cannotKeepCurfew: boolean;
  @Field(() => Int, { nullable: true }) minimumStayDays: number | null;
  @Field(() => [ShelterService]) servicesNeeded: ShelterService[];
  @Field(() => Urgency) urgency: Urgency;
  @Field(() => ApproximateLocationModel, { nullable: true }) location: ApproximateLocationModel | null;
  @Field(() => Float, { nullable: true }) radiusKm: number | null;
}

@ObjectType('Identity', { description: 'Encrypted at rest; every read is audited' })
export class IdentityModel {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@ObjectType('Consent')
export class ConsentModel {
  @Field(() => ID) id: string;
  @Field(() => [ConsentScope]) scopes: ConsentScope[];
  @Field(() => ConsentMethod) method: ConsentMethod;
  @Field(() => ID, { nullable: true }) recipientShelterId: string | null;
  @Field(() => GraphQLISODateTime) recordedAt: Date;
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt: Date | null;
}

@ObjectType('ReferralEvent')
export class ReferralEventModel {
  @Field(() => ReferralState) fromState: ReferralState;
  @Field(() => ReferralState) toState: ReferralState;
  @Field(() => ReferralEventReason) reasonCode: ReferralEventReason;
  @Field({ description: 'The server English for reasonCode (with a decline reason or exit destination)' })
  reason: string;
  @Field(() => String, {
    nullable: true,
    description: 'What your advocate wrote (a withdrawal reason); purged with the identity',
  })
  note: string | null;
  @Field(() => GraphQLISODateTime) occurredAt: Date;
}

@ObjectType('ReferralOffer', { description: "An offer as the referring agency sees it: the shelter's public name" })
export class ReferralOfferModel {
  @Field(() => ID) id: string;
  @Field(() => ID) shelterId: string;
  @Field() shelterName: string;
  @Field(() => OfferStatus) status: OfferStatus;
  @Field(() => GraphQLISODateTime) offeredAt: Date;
  @Field(() => GraphQLISODateTime) respondBy: Date;
  @Field(() => String, {
    nullable: true,
    description:
      'After acceptance: how to reach intake, as the shelter chose to give it (phone, meeting point or address)',
  })
  intakeInstructions: string | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'While a bed is held: the answer deadline, then (accepted) the time the survivor must arrive by',
  })
  holdExpiresAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt: Date | null;
  @Field(() => OfferClosedReason, { nullable: true }) closedReason: OfferClosedReason | null;
}

@ObjectType('Referral')
export class ReferralModel {
  @Field(() => ID) id: string;
  @Field() referenceCode: string;
  @Field(() => ReferralState) state: ReferralState;
  @Field(() => Urgency) urgency: Urgency;
  @Field(() => ID) regionId: string;
  @Field(() => NeedsModel) needs: NeedsModel;
  @Field(() => Boolean, { description: 'Whether an identity was given (read it with the identity field)' })
  hasIdentity: boolean;
  @Field(() => ExitDestination, { nullable: true }) exitDestination: ExitDestination | null;
  @Field(() => ID, { nullable: true }) previousReferralId: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) consentDeadline: Date | null;
  @Field(() => GraphQLISODateTime) submittedAt: Date;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt: Date | null;
}

@ObjectType('ReferralEdge')
export class ReferralEdgeModel {
  @Field() cursor: string;
  @Field(() => ReferralModel) node: ReferralModel;
}

@ObjectType('ReferralConnection')
export class ReferralConnectionModel {
  @Field(() => [ReferralEdgeModel]) edges: ReferralEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
}

@ObjectType('Offer', {
  description:
    'An offer to your shelter through its whole life: the de-identified needs while it is current and consent stands',
})
export class OfferModel {
  @Field(() => ID) id: string;
  @Field(() => ID) referralId: string;
  @Field() referenceCode: string;
  @Field(() => ID) shelterId: string;
  @Field(() => OfferStage) stage: OfferStage;
  @Field(() => OfferStatus) status: OfferStatus;
  @Field(() => GraphQLISODateTime) offeredAt: Date;
  @Field(() => GraphQLISODateTime) respondBy: Date;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'While the bed is held: the answer deadline (OPEN), then the time to arrive by (AWAITING_ARRIVAL)',
  })
  holdExpiresAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) respondedAt: Date | null;
  @Field(() => DeclineReason, { nullable: true }) declineReason: DeclineReason | null;
  @Field(() => String, { nullable: true, description: 'What the agency was given on acceptance; purged later' })
  intakeInstructions: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) intakeConfirmedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt: Date | null;
  @Field(() => OfferClosedReason, { nullable: true }) closedReason: OfferClosedReason | null;
  @Field(() => ExitDestination, { nullable: true }) exitDestination: ExitDestination | null;
  @Field(() => NeedsModel, {
    nullable: true,
    description: 'Null once the offer is closed, consent is revoked or the referral withdrawn',
  })
  needs: NeedsModel | null;
}

@ObjectType('OfferEdge')
export class OfferEdgeModel {
  @Field() cursor: string;
  @Field(() => OfferModel) node: OfferModel;
}

@ObjectType('OfferConnection')
export class OfferConnectionModel {
  @Field(() => [OfferEdgeModel]) edges: OfferEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
}

@ObjectType('ReferralUpdate')
export class ReferralUpdateModel {
  @Field(() => ID) referralId: string;
  @Field(() => ReferralState) state: ReferralState;
  @Field(() => ReferralEventReason, {
    nullable: true,
    description: 'Why it moved; null only from an API process older than this field (during a rolling deploy)',
  })
  reasonCode: ReferralEventReason | null;
  @Field(() => GraphQLISODateTime) occurredAt: Date;
}

@ObjectType('OfferUpdate', { description: 'One of your offers moved to another stage; read it with the offer query' })
export class OfferUpdateModel {
  @Field(() => ID) offerId: string;
  @Field(() => ID) shelterId: string;
  @Field(() => OfferStage) stage: OfferStage;
  @Field(() => OfferStatus) status: OfferStatus;
  @Field(() => GraphQLISODateTime) occurredAt: Date;
}

@ObjectType('OfferNotice')
export class OfferNoticeModel {
  @Field(() => ID) offerId: string;
  @Field(() => ID) referralId: string;
  @Field(() => ID) shelterId: string;
  @Field(() => GraphQLISODateTime) respondBy: Date;
}

@ObjectType('WaitlistAlert', {
  description: 'A referral in your region found no fitting bed: what blocked it, never who',
})
export class WaitlistAlertModel {
  @Field(() => ID) regionId: string;
  @Field(() => Urgency) urgency: Urgency;
  @Field(() => [ExclusionCountModel]) exclusions: ExclusionCountModel[];
  @Field(() => [ExclusionReason], {
    description: 'What stood between it and a bed: the reasons of shelters that would have fitted but for one',
  })
  blockedBy: ExclusionReason[];
  @Field(() => GraphQLISODateTime) waitlistedAt: Date;
}
