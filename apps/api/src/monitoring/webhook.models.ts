import { Field, ID, ObjectType } from '@nestjs/graphql';

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
