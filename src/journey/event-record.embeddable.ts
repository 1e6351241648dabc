import { Column } from 'typeorm';

/**
 * The event fields (docs/API.md §2.1) recorded when an object starts and when it completes; embedded twice in each
 * tracked table, as `started_*` and `completed_*` columns.
 */
export class EventRecord {
  @Column({ type: 'varchar', length: 32, nullable: true })
  sessionId: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  interactionId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  applicationType: string | null;

  @Column({ type: 'bigint', nullable: true })
  applicationId: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  resourceType: string | null;

  @Column({ type: 'bigint', nullable: true })
  resourceId: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  mediaType: string | null;
}
