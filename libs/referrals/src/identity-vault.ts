import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditActor, AuditKind, AuditService } from '@shelterlink/audit';
import { Actor } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { Identity, IdentityCipher, SealedIdentity } from './identity-cipher';

/**
 * Where survivor identities are sealed and opened. Callers decide who may read (ReferralsService for the agency,
 * OffersService for the shelter that accepted); every opening is written to `identity_access` first.
 */
@Injectable()
export class IdentityVault {
  private readonly cipher: IdentityCipher;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: AppConfig,
    private readonly trail: AuditService,
  ) {
    this.cipher = new IdentityCipher(config.identityKeys);
  }

  seal(identity: Identity, referralId: string): SealedIdentity {
    return this.cipher.seal(identity, referralId);
  }

  async open(actor: Actor, referralId: string, sealed: SealedIdentity | null | undefined): Promise<Identity | null> {
    if (!sealed) return null;
    await this.audit(this.db.manager, actor, referralId);
    await this.trail.record({
      kind: AuditKind.IDENTITY_READ,
      actor: auditActor(actor),
      subjectType: 'referral',
      subjectId: referralId,
    });
    return this.cipher.open(sealed, referralId);
  }

  private async audit(m: EntityManager, actor: Actor, referralId: string): Promise<void> {
    await m.query(`INSERT INTO identity_access (referral_id, user_id, organisation_id) VALUES ($1, $2, $3)`, [
      referralId,
      actor.userId,
      actor.organisationId,
    ]);
  }
}
