import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@shelterlink/config';
import { QueueName } from './job-catalogue';
import { OutboxService } from './outbox.service';
import { reconnectStrategy } from './redis.module';

/**
 * Imported once, by each app's root module. BullMQ's connection (maxRetriesPerRequest: null, as workers need; the
 * outbox bounds how long a request waits for it), the queues, and the outbox that feeds them.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: {
          url: config.env.REDIS_URL,
          maxRetriesPerRequest: null,
          retryStrategy: reconnectStrategy(config),
        },
        prefix: config.redisKey('bull'),
      }),
    }),
    BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
  ],
  providers: [OutboxService],
  exports: [BullModule, OutboxService],
})
export class QueueModule {}
