import { Column, Entity } from 'typeorm';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

/** A work item of a service, optionally inside one of its states. */
@Entity({ name: 'tasks' })
export class TaskEntity extends TrackedObjectEntity {
  @Column({ type: 'bigint' })
  serviceId: number;

  @Column({ type: 'bigint', nullable: true })
  stateId: number | null;

  /**
   * `state_id`, or 0 for a task of the service itself. Unique indexes treat NULLs as distinct, so the
   * composite match key needs this non-null copy of the scope.
   */
  @Column({ type: 'bigint', default: 0 })
  stateScope: number;

  @Column({ type: 'varchar', length: 64 })
  taskType: string;
}
