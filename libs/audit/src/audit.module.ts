import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** One trail for the whole application, available everywhere (accounts, referrals, the API's error filter). */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
