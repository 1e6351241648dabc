import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

/** A step of a service. Composite start matches it by (service_id, state_type) among active states. */
@Entity({ name: 'states' })
@Index('uq_states_composite_key', ['serviceId', 'stateType', 'activeMarker'], { unique: true })
export class StateEntity extends TrackedObjectEntity {
  /** Deleted with its service by the database (the parent named by table: it sits above on the stair). */
  @Column({ type: 'bigint' })
  @ForeignKey('services', 'id', {
    name: 'fk_states_service',
    onDelete: 'CASCADE',
    onUpdate: 'RESTRICT',
  })
  serviceId: number;

  @Column({ type: 'varchar', length: 64 })
  stateType: string;

  @Column({ type: 'bigint', nullable: true })
  previousStateId: number | null;
}
