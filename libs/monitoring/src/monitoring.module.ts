import { Module } from '@nestjs/common';
import { AccountsModule } from '@shelterlink/accounts';
import { CapacityService } from './capacity.service';

@Module({
  imports: [AccountsModule],
  providers: [CapacityService],
  exports: [CapacityService],
})
export class MonitoringModule {}
