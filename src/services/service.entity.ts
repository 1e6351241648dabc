import { Column, Entity, Index } from 'typeorm';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

/**
 * One customer commitment. The match key of composite start is (tenant, customer_id, service_type,
 * contact_key); absent parts are stored as '' so that the unique index treats "absent" as a value.
 */
@Entity({ name: 'services' })
// Every index the migrations create, so that `migration:generate` drafts only what an entity change adds.
// The unique key refuses a second active composite twin (activeMarker); the others serve composite
// matching, anonymous reads, the sweeps, purge, export and the statistics (migrations/ say which).
@Index(
  'uq_services_composite_key',
  ['tenantId', 'customerId', 'serviceType', 'contactKey', 'activeMarker'],
  { unique: true },
)
@Index('ix_services_key_completed', [
  'tenantId',
  'customerId',
  'serviceType',
  'contactKey',
  'completedAt',
])
@Index('ix_services_contact_key', ['tenantId', 'contactKey', 'startedAt'])
@Index('ix_services_expiry', ['expiresAt', 'lastActivityAt'])
@Index('ix_services_activity', ['completedAt', 'lastActivityAt'])
@Index('ix_services_tenant_started', [
  'tenantId',
  'startedAt',
  'completedAt',
  'serviceType',
  'expiresAt',
  'lastActivityAt',
])
@Index('ix_services_tenant_completed', [
  'tenantId',
  'completedAt',
  'startedAt',
  'disposition',
  'serviceType',
  'expiresAt',
  'lastActivityAt',
])
export class ServiceEntity extends TrackedObjectEntity {
  @Column({ type: 'varchar', length: 64, default: '' })
  customerId: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  serviceType: string;

  @Column({ type: 'varchar', length: 128, default: '' })
  contactKey: string;

  @Column({ type: 'bigint', nullable: true })
  expiresAt: number | null;

  @Column({ type: 'int', nullable: true })
  autoCompleteAfter: number | null;

  /** Last start, completion or update of the service or anything in it (drives default expiry and auto-complete). */
  @Column({ type: 'bigint' })
  lastActivityAt: number;
}
