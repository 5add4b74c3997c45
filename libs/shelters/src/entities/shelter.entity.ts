import type { Point } from 'geojson';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import {
  Eligibility,
  Gender,
  ImmigrationPolicy,
  Programming,
  ShelterService,
  ShelterStatus,
  SubstanceUsePolicy,
  TraffickingType,
} from '../vocabulary';
import { ELIGIBILITY_COLUMNS as C } from './eligibility-columns';

/** The eligibility columns of the shelter table (names from ELIGIBILITY_COLUMNS). */
export class EligibilityColumns implements Eligibility {
  @Column('text', { name: C.genders, array: true }) genders: Gender[];
  @Column('smallint', { name: C.minAge }) minAge: number;
  @Column('smallint', { name: C.maxAge }) maxAge: number;
  @Column('boolean', { name: C.acceptsUnaccompaniedMinors }) acceptsUnaccompaniedMinors: boolean;
  @Column('boolean', { name: C.acceptsChildren }) acceptsChildren: boolean;
  @Column('smallint', { name: C.maxChildren }) maxChildren: number;
  @Column('smallint', { name: C.childMinAge }) childMinAge: number;
  @Column('smallint', { name: C.childMaxAge }) childMaxAge: number;
  @Column('text', { name: C.traffickingTypes, array: true }) traffickingTypes: TraffickingType[];
  @Column('text', { name: C.languages, array: true }) languages: string[];
  @Column('boolean', { name: C.wheelchairAccessible }) wheelchairAccessible: boolean;
  @Column('boolean', { name: C.petsAllowed }) petsAllowed: boolean;
  @Column('text', { name: C.substanceUsePolicy }) substanceUsePolicy: SubstanceUsePolicy;
  @Column('boolean', { name: C.lgbtqAffirming }) lgbtqAffirming: boolean;
  @Column('boolean', { name: C.requiresLawEnforcementCooperation }) requiresLawEnforcementCooperation: boolean;
  @Column('text', { name: C.immigrationPolicy }) immigrationPolicy: ImmigrationPolicy;
  @Column('boolean', { name: C.acceptsTraffickingRelatedRecords }) acceptsTraffickingRelatedRecords: boolean;
  @Column('boolean', { name: C.requiresIdDocuments }) requiresIdDocuments: boolean;
  @Column('text', { name: C.programming }) programming: Programming;
  @Column('time', { name: C.curfew, nullable: true }) curfew: string | null;
  @Column('integer', { name: C.maxStayDays, nullable: true }) maxStayDays: number | null;
}

@Entity('shelter')
export class ShelterEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'region_id' }) regionId: string;
  @Column('text') name: string;
  @Column('text') city: string;
  @Column({ name: 'public_location', type: 'geography', spatialFeatureType: 'Point', srid: 4326 })
  publicLocation: Point;
  @Column('boolean', { name: 'location_confidential' }) locationConfidential: boolean;
  @Column('text', { nullable: true }) address: string | null;
  @Column('text', { name: 'intake_phone', nullable: true }) intakePhone: string | null;
  @Column('text', { name: 'intake_instructions', nullable: true }) intakeInstructions: string | null;
  @Column('text', { array: true }) services: ShelterService[];
  @Column('boolean', { name: 'intake_always_open' }) intakeAlwaysOpen: boolean;
  @Column('smallint', { name: 'intake_days', array: true }) intakeDays: number[];
  @Column('time', { name: 'intake_opens', nullable: true }) intakeOpens: string | null;
  @Column('time', { name: 'intake_closes', nullable: true }) intakeCloses: string | null;
  @Column('text', { name: 'time_zone' }) timeZone: string;
  @Column('integer', { name: 'hold_minutes' }) holdMinutes: number;
  @Column('integer', { name: 'response_minutes' }) responseMinutes: number;
  @Column({ type: 'enum', enum: ShelterStatus, enumName: 'shelter_status' }) status: ShelterStatus;
  @Column('timestamptz', { name: 'availability_verified_at' }) availabilityVerifiedAt: Date;
  @Column(() => EligibilityColumns, { prefix: false }) eligibility: EligibilityColumns;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
