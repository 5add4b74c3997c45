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
  registerEnumType,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { assertRole } from '@shelterlink/accounts';
import { Actor, checkPageSize, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { Notification, NotificationKind, NotificationsService } from '@shelterlink/monitoring';
import { PUB_SUB, Topics } from '@shelterlink/queue';
import { CurrentActor } from '../common/current-actor.decorator';
import type { RequestContext } from '../common/request-context';
import { UuidPipe } from '../common/uuid.pipe';
import { statementCost } from '../graphql/operation-limits';

registerEnumType(NotificationKind, { name: 'NotificationKind' });

@ObjectType('Notification', { description: 'A message to a shelter provider’s staff, e.g. a stale-count reminder' })
export class NotificationModel {
  @Field(() => ID) id: string;
  @Field(() => ID) shelterId: string;
  @Field(() => NotificationKind, { description: 'What it is about: word it from this and the fields beside it' })
  kind: NotificationKind;
  @Field({ description: 'The server English for it' }) message: string;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'STALE_COUNTS: when the counts were last verified, as they were when it was sent',
  })
  aboutVerifiedAt: Date | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) readAt: Date | null;
}

const present = (n: Notification): NotificationModel => ({
  id: n.id,
  shelterId: n.shelterId,
  kind: n.kind,
  message: n.message,
  aboutVerifiedAt: n.aboutVerifiedAt,
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
    resolve: (n: Notification) =>
      present({
        ...n,
        aboutVerifiedAt: n.aboutVerifiedAt ? new Date(n.aboutVerifiedAt) : null,
        createdAt: new Date(n.createdAt),
        readAt: null,
      }),
  })
  notificationReceived(@CurrentActor() actor: Actor): AsyncIterator<Notification> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.pubSub.asyncIterator<Notification>(Topics.notification(this.config, actor.organisationId!));
  }
}
