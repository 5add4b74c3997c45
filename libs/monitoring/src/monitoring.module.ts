import { Module } from '@nestjs/common';
import { AccountsModule } from '@shelterlink/accounts';
import { CapacityService } from './capacity.service';
import { ExportsService } from './exports.service';
import { NotificationsService } from './notifications.service';
import { OccupancyService } from './occupancy.service';
import { ReferralStatisticsService } from './referral-statistics.service';
import { RegionCapacityCache } from './region-capacity-cache';
import { WebhooksService } from './webhooks.service';

const SERVICES = [
  CapacityService,
  ExportsService,
  NotificationsService,
  OccupancyService,
  ReferralStatisticsService,
  WebhooksService,
];

@Module({
  imports: [AccountsModule],
  providers: [...SERVICES, RegionCapacityCache],
  exports: SERVICES,
})
export class MonitoringModule {}
