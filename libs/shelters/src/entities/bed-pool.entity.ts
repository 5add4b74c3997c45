import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BedType } from '../vocabulary';

/** Counts change only through BedPoolsService's guarded UPDATE statements, never through save(). */
@Entity('bed_pool')
export class BedPoolEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'shelter_id' }) shelterId: string;
  @Column({ name: 'bed_type', type: 'enum', enum: BedType, enumName: 'bed_type' }) bedType: BedType;
  @Column('integer') capacity: number;
  @Column('integer') occupied: number;
  @Column('integer') held: number;
  @Column('integer', { name: 'out_of_service' }) outOfService: number;
  @Column({ type: 'integer', insert: false, update: false }) available: number;
  @Column('integer') version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
