import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A free-text note an agent or supervisor hangs off a service ("customer asked for a call back after 6 pm").
 * Tenant-scoped like everything else; deleted with its service by the database.
 */
@Entity({ name: 'service_notes' })
@Index('ix_service_notes_service', ['serviceId', 'createdAt', 'id'])
export class NoteEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  tenantId: string;

  /** The parent is named by table: the services module sits beside this one, not below it. */
  @Column({ type: 'bigint' })
  @ForeignKey('services', 'id', {
    name: 'fk_service_notes_service',
    onDelete: 'CASCADE',
    onUpdate: 'RESTRICT',
  })
  serviceId: number;

  @Column({ type: 'varchar', length: 2000 })
  text: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  author: string | null;

  /** Epoch milliseconds, as every time the project stores. */
  @Column({ type: 'bigint' })
  createdAt: number;
}
