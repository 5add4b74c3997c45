import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@shelterlink/accounts';
import { BedPoolsService } from './bed-pools.service';
import { CapacityEventsService } from './capacity-events.service';
import { BedPoolEntity } from './entities/bed-pool.entity';
import { ShelterEntity } from './entities/shelter.entity';
import { BedSearchService } from './search/bed-search.service';
import { SheltersService } from './shelters.service';

@Module({
  imports: [TypeOrmModule.forFeature([ShelterEntity, BedPoolEntity]), AccountsModule],
  providers: [SheltersService, BedPoolsService, CapacityEventsService, BedSearchService],
  exports: [SheltersService, BedPoolsService, CapacityEventsService, BedSearchService],
})
export class SheltersModule {}
