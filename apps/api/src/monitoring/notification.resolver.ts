import { Inject } from '@nestjs/common';
import {
  Args,
  Field,
  GraphQLISODateTime,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { assertRole } from '@shelterlink/accounts';
import { Actor, checkPageSize, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { Notification, NotificationsService } from '@shelterlink/monitoring';
import { PUB_SUB, Topics } from '@shelterlink/queue';
import { CurrentActor } from '../common/current-actor.decorator';
import type { RequestContext } from '../common/request-context';
import { UuidPipe } from '../common/uuid.pipe';
import { statementCost } from '../graphql/operation-limits';

@ObjectType('Notification', { description: 'A message to a shelter provider’s staff, e.g. a stale-count reminder' })
export class NotificationModel {
  @Field(() => ID) id: string;
  @Field(() => ID) shelterId: string;
  @Field({ description: 'STALE_COUNTS' }) kind: string;
  @Field() message: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) readAt: Date | null;
}

const present = (n: Notification): NotificationModel => ({
  id: n.id,
  shelterId: n.shelterId,
  kind: n.kind,
  message: n.message,
  createdAt: n.createdAt,
  readAt: n.readAt,
});

@Resolver()
export class NotificationResolver {
  constructor(
    private readonly service: NotificationsService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
  ) {}

  @Query(() => [NotificationModel], {
    name: 'notifications',
    complexity: statementCost,
    description: 'Shelter staff: their organisation’s notifications, newest first',
  })
  async listNotifications(
    @CurrentActor() actor: Actor,
    @Args('unreadOnly', { type: () => Boolean, defaultValue: false }) unreadOnly: boolean,
    @Args('first', { type: () => Int, defaultValue: 50, description: 'At most 100' }) first: number,
  ): Promise<NotificationModel[]> {
    return (await this.service.list(actor, unreadOnly, checkPageSize(first))).map(present);
  }

  @Mutation(() => NotificationModel)
  async markNotificationRead(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
  ): Promise<NotificationModel> {
    return present(await this.service.markRead(actor, id));
  }

  @Subscription(() => NotificationModel, {
    description: 'Shelter staff: each new notification for their organisation',
    filter: (_n: Notification, _args: unknown, ctx: RequestContext) => ctx.stillActive(),
    resolve: (n: Notification) => present({ ...n, createdAt: new Date(n.createdAt), readAt: null }),
  })
  notificationReceived(@CurrentActor() actor: Actor): AsyncIterator<Notification> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.pubSub.asyncIterator<Notification>(Topics.notification(this.config, actor.organisationId!));
  }
}
