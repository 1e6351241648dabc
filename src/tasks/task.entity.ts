import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

/** A work item of a service, optionally inside one of its states. */
@Entity({ name: 'tasks' })
@Index('uq_tasks_composite_key', ['serviceId', 'stateScope', 'taskType', 'activeMarker'], {
  unique: true,
})
@Index('ix_tasks_state', ['stateId'])
export class TaskEntity extends TrackedObjectEntity {
  /** Deleted with its service, or its state, by the database (parents named by table, above on the stair). */
  @Column({ type: 'bigint' })
  @ForeignKey('services', 'id', {
    name: 'fk_tasks_service',
    onDelete: 'CASCADE',
    onUpdate: 'RESTRICT',
  })
  serviceId: number;

  @Column({ type: 'bigint', nullable: true })
  @ForeignKey('states', 'id', { name: 'fk_tasks_state', onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
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
