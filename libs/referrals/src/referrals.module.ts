import { Module } from '@nestjs/common';
import { AccountsModule } from '@shelterlink/accounts';
import { SheltersModule } from '@shelterlink/shelters';
import { IdentityVault } from './identity-vault';
import { OffersService } from './offers.service';
import { ReferralWorkflowService } from './referral-workflow.service';
import { ReferralTimelineService } from './referral-timeline.service';
import { ReferralsService } from './referrals.service';
import { WorkflowRunner } from './workflow-runner';
import { WorkflowSweeper } from './workflow-sweeper.service';

@Module({
  imports: [AccountsModule, SheltersModule],
  providers: [
    IdentityVault,
    WorkflowRunner,
    ReferralWorkflowService,
    ReferralsService,
    ReferralTimelineService,
    OffersService,
    WorkflowSweeper,
  ],
  exports: [ReferralWorkflowService, ReferralsService, ReferralTimelineService, OffersService, WorkflowSweeper],
})
export class ReferralsModule {}
