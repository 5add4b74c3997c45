import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum OrganisationKind {
  SHELTER_PROVIDER = 'SHELTER_PROVIDER',
  REFERRAL_AGENCY = 'REFERRAL_AGENCY',
  COORDINATING_BODY = 'COORDINATING_BODY',
}

@Entity('organisation')
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column({ type: 'enum', enum: OrganisationKind, enumName: 'organisation_kind' }) kind: OrganisationKind;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
