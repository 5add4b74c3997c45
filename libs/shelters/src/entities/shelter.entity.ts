import type { Point } from 'geojson';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import {
  Gender,
  ImmigrationPolicy,
  Programming,
  ShelterService,
  ShelterStatus,
  SubstanceUsePolicy,
  TraffickingType,
} from '../vocabulary';

/** The eligibility columns (prefix `elig_`) of the shelter table. */
export class EligibilityColumns {
  @Column('text', { name: 'elig_genders', array: true }) genders: Gender[];
  @Column('smallint', { name: 'elig_min_age' }) minAge: number;
  @Column('smallint', { name: 'elig_max_age' }) maxAge: number;
  @Column('boolean', { name: 'elig_unaccompanied_minors' }) acceptsUnaccompaniedMinors: boolean;
  @Column('boolean', { name: 'elig_accepts_children' }) acceptsChildren: boolean;
  @Column('smallint', { name: 'elig_max_children' }) maxChildren: number;
  @Column('smallint', { name: 'elig_child_min_age' }) childMinAge: number;
  @Column('smallint', { name: 'elig_child_max_age' }) childMaxAge: number;
  @Column('text', { name: 'elig_trafficking_types', array: true }) traffickingTypes: TraffickingType[];
  @Column('text', { name: 'elig_languages', array: true }) languages: string[];
  @Column('boolean', { name: 'elig_wheelchair_accessible' }) wheelchairAccessible: boolean;
  @Column('boolean', { name: 'elig_pets_allowed' }) petsAllowed: boolean;
  @Column('text', { name: 'elig_substance_use_policy' }) substanceUsePolicy: SubstanceUsePolicy;
  @Column('boolean', { name: 'elig_lgbtq_affirming' }) lgbtqAffirming: boolean;
  @Column('boolean', { name: 'elig_requires_law_enforcement' }) requiresLawEnforcementCooperation: boolean;
  @Column('text', { name: 'elig_immigration_policy' }) immigrationPolicy: ImmigrationPolicy;
  @Column('boolean', { name: 'elig_accepts_trafficking_records' }) acceptsTraffickingRelatedRecords: boolean;
  @Column('boolean', { name: 'elig_requires_id_documents' }) requiresIdDocuments: boolean;
  @Column('text', { name: 'elig_programming' }) programming: Programming;
  @Column('time', { name: 'elig_curfew', nullable: true }) curfew: string | null;
  @Column('integer', { name: 'elig_max_stay_days', nullable: true }) maxStayDays: number | null;
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
