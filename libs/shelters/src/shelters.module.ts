import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@shelterlink/accounts';
import { BedPoolsService } from './bed-pools.service';
import { BedPoolEntity } from './entities/bed-pool.entity';
import { ShelterEntity } from './entities/shelter.entity';
import { BedSearchService } from './search/bed-search.service';
import { SheltersService } from './shelters.service';

@Module({
  imports: [TypeOrmModule.forFeature([ShelterEntity, BedPoolEntity]), AccountsModule],
  providers: [SheltersService, BedPoolsService, BedSearchService],
  exports: [SheltersService, BedPoolsService, BedSearchService],
})
export class SheltersModule {}
