import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@shelterlink/common';
import { WebhooksService } from '@shelterlink/monitoring';
import { CurrentActor } from '../common/current-actor.decorator';
import { UuidPipe } from '../common/uuid.pipe';
import { ShelterWebhookModel } from './webhook.models';
import { statementCost } from '../graphql/operation-limits';

@Resolver()
export class WebhookResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query(() => ShelterWebhookModel, { description: 'For the shelter’s own staff', complexity: statementCost })
  shelterWebhook(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
  ): Promise<ShelterWebhookModel> {
    return this.webhooks.get(actor, shelterId);
  }

  @Mutation(() => ShelterWebhookModel, {
    description: 'For the shelter’s own staff; https to a public address in production; null removes the webhook',
  })
  setShelterWebhook(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
    @Args('url', { type: () => String, nullable: true }) url?: string,
  ): Promise<ShelterWebhookModel> {
    return this.webhooks.set(actor, shelterId, url ?? null);
  }

  @Mutation(() => ShelterWebhookModel, {
    description: 'For the shelter’s own staff: a new signing secret; the old one stops working at once',
  })
  rotateShelterWebhookSecret(
    @CurrentActor() actor: Actor,
    @Args('shelterId', { type: () => ID }, UuidPipe) shelterId: string,
  ): Promise<ShelterWebhookModel> {
    return this.webhooks.rotateSecret(actor, shelterId);
  }
}
