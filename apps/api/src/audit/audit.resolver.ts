import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuditEventRow, AuditService } from '@shelterlink/audit';
import { Actor } from '@shelterlink/common';
import { CurrentActor } from '../common/current-actor.decorator';
import { pageCost } from '../graphql/operation-limits';
import { AuditEventConnectionModel, AuditEventModel, AuditEventsArgs } from './audit.models';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventConnectionModel, {
    description: 'Admins: the security trail, newest first (sign-ins, refusals, rate limits, exports, admin changes)',
    complexity: pageCost(50),
  })
  async auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs): Promise<AuditEventConnectionModel> {
    const page = await this.audit.list(actor, args);
    return {
      edges: page.items.map((row) => ({ cursor: page.cursorOf(row), node: toAuditEventModel(row) })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    };
  }
}

function toAuditEventModel(r: AuditEventRow): AuditEventModel {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    kind: r.kind,
    actorUserId: r.actor_user_id,
    actorRole: r.actor_role,
    organisationId: r.organisation_id,
    address: r.address,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    detail: Object.entries(r.detail).map(([key, value]) => ({ key, value: value === null ? null : String(value) })),
  };
}
