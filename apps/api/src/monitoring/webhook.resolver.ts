import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@shelterlink/common';
import { WebhooksService } from '@shelterlink/monitoring';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';

@ObjectType('ShelterWebhook', {
  description:
    'Where a shelter’s own system is told of its notifications. Each call is a JSON POST signed in the ' +
    'x-shelterlink-signature header: v1=hex(HMAC-SHA256(signingSecret, timestamp + "." + body)), the timestamp ' +
    '(Unix seconds) in x-shelterlink-timestamp',
})
export class ShelterWebhookModel {
  @Field(() => ID) shelterId: string;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field({ description: 'Keep it secret: it proves a call came from ShelterLink' }) signingSecret: string;
}

@Resolver()
export class WebhookResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query(() => ShelterWebhookModel, { description: 'For the shelter’s own staff' })
  shelterWebhook(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
  ): Promise<ShelterWebhookModel> {
    return this.webhooks.get(actor, shelterId);
  }

  @Mutation(() => ShelterWebhookModel, {
    description: 'For the shelter’s own staff; https in production; null removes the webhook',
  })
  setShelterWebhook(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
    @Args('url', { type: () => String, nullable: true }) url?: string,
  ): Promise<ShelterWebhookModel> {
    return this.webhooks.set(actor, shelterId, url ?? null);
  }
}
