import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@shelterlink/config';
import { QueueName } from './job-catalogue';
import { OutboxService } from './outbox.service';

/** Imported once, by each app's root module. BullMQ's connection (maxRetriesPerRequest: null, as workers need), the queues, and the outbox that feeds them. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.env.REDIS_URL, maxRetriesPerRequest: null },
        prefix: config.redisKey('bull'),
      }),
    }),
    BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
  ],
  providers: [OutboxService],
  exports: [BullModule, OutboxService],
})
export class QueueModule {}
