import { Column, Entity } from 'typeorm';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

/** A step of a service. Composite start matches it by (service_id, state_type) among active states. */
@Entity({ name: 'states' })
export class StateEntity extends TrackedObjectEntity {
  @Column({ type: 'bigint' })
  serviceId: number;

  @Column({ type: 'varchar', length: 64 })
  stateType: string;

  @Column({ type: 'bigint', nullable: true })
  previousStateId: number | null;
}
