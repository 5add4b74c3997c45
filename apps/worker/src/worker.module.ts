import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '@shelterlink/audit';
import { AppConfig, ConfigModule, loggerParams } from '@shelterlink/config';
import { DatabaseModule } from '@shelterlink/database';
import { PubSubModule, QueueModule, RedisModule } from '@shelterlink/queue';
import { MonitoringModule } from '@shelterlink/monitoring';
import { ReferralsModule } from '@shelterlink/referrals';
import { MaintenanceService } from './maintenance.service';
import { ReferralsProcessor } from './referrals.processor';
import { SystemProcessor } from './system.processor';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => loggerParams(config, 'worker'),
    }),
    DatabaseModule,
    AuditModule,
    RedisModule,
    PubSubModule,
    QueueModule,
    ReferralsModule,
    MonitoringModule,
  ],
  providers: [SystemProcessor, ReferralsProcessor, MaintenanceService],
})
export class WorkerModule {}
