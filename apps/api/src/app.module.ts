import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from '@shelterlink/accounts';
import { AuditModule } from '@shelterlink/audit';
import { AppConfig, ConfigModule, loggerParams } from '@shelterlink/config';
import { DatabaseModule } from '@shelterlink/database';
import { PubSubModule, QueueModule, RedisModule } from '@shelterlink/queue';
import { MonitoringModule } from '@shelterlink/monitoring';
import { ReferralsModule } from '@shelterlink/referrals';
import { SheltersModule } from '@shelterlink/shelters';
import { AuthResolver } from './accounts/auth.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { OrganisationResolver } from './accounts/organisation.resolver';
import { RegionResolver } from './accounts/region.resolver';
import { UserResolver } from './accounts/user.resolver';
import { AuthGuard } from './common/auth.guard';
import { ErrorFilter } from './common/error-filter';
import { LoadersModule } from './common/loaders';
import { UserThrottlerGuard } from './common/user-throttler.guard';
import { createValidationPipe } from './common/validation.pipe';
import { IdempotencyInterceptor } from './common/idempotency';
import { ComplexityPlugin } from './graphql/complexity.plugin';
import { SessionCookiePlugin } from './graphql/session-cookie.plugin';
import { UnavailablePlugin } from './graphql/unavailable.plugin';
import { GraphqlConfig } from './graphql/graphql.config';
import { LiveSessionsModule } from './graphql/live-sessions';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { CapacityResolver } from './monitoring/capacity.resolver';
import { ExportsController } from './exports/exports.controller';
import { NotificationResolver } from './monitoring/notification.resolver';
import { StatisticsResolver } from './monitoring/statistics.resolver';
import { WebhookResolver } from './monitoring/webhook.resolver';
import { OfferResolver } from './referrals/offer.resolver';
import { ReferralLiveResolver } from './referrals/referral-live.resolver';
import { ReferralResolver } from './referrals/referral.resolver';
import { AvailabilityResolver } from './shelters/availability.resolver';
import { BedPoolResolver } from './shelters/bed-pool.resolver';
import { SearchResolver } from './shelters/search.resolver';
import { ShelterResolver } from './shelters/shelter.resolver';
import { WebModule } from './web/web.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerParams(config, 'api') }),
    DatabaseModule,
    AuditModule,
    RedisModule,
    PubSubModule,
    QueueModule,
    AccountsModule,
    SheltersModule,
    ReferralsModule,
    MonitoringModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.env.RATE_LIMIT_PER_MINUTE }],
    }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [LoadersModule, LiveSessionsModule],
      useClass: GraphqlConfig,
    }),
    HealthModule,
    MetricsModule,
    WebModule.register(),
  ],
  controllers: [ExportsController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: UserThrottlerGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    ComplexityPlugin,
    UnavailablePlugin,
    SessionCookiePlugin,
    AuthResolver,
    AuditResolver,
    RegionResolver,
    OrganisationResolver,
    UserResolver,
    ShelterResolver,
    BedPoolResolver,
    SearchResolver,
    AvailabilityResolver,
    ReferralResolver,
    OfferResolver,
    ReferralLiveResolver,
    CapacityResolver,
    NotificationResolver,
    StatisticsResolver,
    WebhookResolver,
  ],
})
export class AppModule {}
