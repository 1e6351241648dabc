import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/**
 * Where an imported service came from: `<source>:<its id in the source>`, unique per tenant, so that an
 * import run twice finds what the first stored (docs/API.md §6.5). Deleted with its service.
 */
@Entity({ name: 'service_sources' })
@Index('uq_service_sources_key', ['tenantId', 'sourceKey'], { unique: true })
export class ServiceSourceEntity {
  /** The parent is named by table: the services module sits below, and keeps its entity to itself. */
  @PrimaryColumn({ type: 'bigint' })
  @ForeignKey('services', 'id', {
    name: 'fk_service_sources_service',
    onDelete: 'CASCADE',
    onUpdate: 'RESTRICT',
  })
  serviceId: number;

  @Column({ type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ type: 'varchar', length: 160 })
  sourceKey: string;
}
