import { ArgsType, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CapacityEventKind } from '@shelterlink/shelters';
import { PageInfoModel } from './shelter.models';

registerEnumType(CapacityEventKind, {
  name: 'CapacityEventKind',
  description: 'What changed a pool: staff (POOL_CREATED … CONFIRMED) or the referral workflow (HOLD … EXIT)',
  valuesMap: {
    POOL_CREATED: { description: 'Staff created the pool' },
    CAPACITY_SET: { description: 'Staff set its capacity (upsertBedPool)' },
    ADJUSTED: { description: 'Staff adjusted occupied or out-of-service beds by a delta (adjustBeds)' },
    COUNTS_SET: { description: 'Staff set absolute counts (setBedCounts)' },
    CONFIRMED: { description: 'Staff confirmed the counts unchanged (confirmAvailability)' },
    HOLD: { description: 'A bed was held for an offer' },
    HOLD_RELEASED: { description: 'A held bed was freed (declined, timed out, withdrawn, no-show…)' },
    INTAKE: { description: 'A held bed became occupied at intake' },
    EXIT: { description: 'An occupied bed was freed at exit' },
  },
});

@ObjectType('CapacityEvent', {
  description: "One change to a pool: the counts it left, how each moved, and the pool's version after it",
})
export class CapacityEventModel {
  @Field(() => ID) id: string;
  @Field(() => ID) poolId: string;
  @Field(() => CapacityEventKind) kind: CapacityEventKind;
  @Field(() => GraphQLISODateTime, { description: 'When the change was applied' }) occurredAt: Date;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When staff made it, if earlier (a change queued offline); null: when applied',
  })
  madeAt: Date | null;
  @Field(() => Int, { nullable: true, description: "The pool's version after it; null for changes before versions" })
  versionAfter: number | null;
  @Field(() => Int) capacity: number;
  @Field(() => Int) occupied: number;
  @Field(() => Int) held: number;
  @Field(() => Int) outOfService: number;
  @Field(() => Int) available: number;
  @Field(() => Int, { nullable: true, description: 'Null when the pool was created' }) capacityDelta: number | null;
  @Field(() => Int, { nullable: true }) occupiedDelta: number | null;
  @Field(() => Int, { nullable: true }) heldDelta: number | null;
  @Field(() => Int, { nullable: true }) outOfServiceDelta: number | null;
  @Field({ description: 'Whether you made it (the workflow’s and colleagues’ changes are false)' })
  madeByYou: boolean;
}

@ObjectType('CapacityEventEdge')
export class CapacityEventEdgeModel {
  @Field() cursor: string;
  @Field(() => CapacityEventModel) node: CapacityEventModel;
}

@ObjectType('CapacityEventConnection')
export class CapacityEventConnectionModel {
  @Field(() => [CapacityEventEdgeModel]) edges: CapacityEventEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
}

@ArgsType()
export class BedPoolEventsArgs {
  @Field(() => ID) @IsUUID() poolId: string;
  @Field(() => Int, { defaultValue: 20 }) @IsInt() @Min(1) @Max(100) first: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 200) after?: string | null;
}
