import { Column, Entity } from 'typeorm';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

/**
 * One customer commitment. The match key of composite start is (tenant, customer_id, service_type,
 * contact_key); absent parts are stored as '' so that the unique index treats "absent" as a value.
 */
@Entity({ name: 'services' })
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
