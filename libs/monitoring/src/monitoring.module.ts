import { Module } from '@nestjs/common';
import { AccountsModule } from '@shelterlink/accounts';
import { CapacityService } from './capacity.service';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [AccountsModule],
  providers: [CapacityService, NotificationsService],
  exports: [CapacityService, NotificationsService],
})
export class MonitoringModule {}
