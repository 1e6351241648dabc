import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { EventRecord } from './event-record.embeddable';

/**
 * What services, states and tasks all have: an id, a tenant, a start and maybe a completion, and extensions.
 * Timestamps are epoch milliseconds (BIGINT): UTC by construction, millisecond-exact and compared the same
 * way on MySQL, MariaDB and SQLite.
 */
export abstract class TrackedObjectEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  groupId: string | null;

  /**
   * 1 while an object created by composite start is active, NULL otherwise. It is the last column of a unique
   * index over the match key, so the database itself refuses a second active twin however many requests race.
   */
  @Column({ type: 'tinyint', nullable: true })
  activeMarker: number | null;

  @Column({ type: 'int', nullable: true })
  estDuration: number | null;

  @Column({ type: 'bigint' })
  startedAt: number;

  @Column(() => EventRecord)
  started: EventRecord;

  @Column({ type: 'bigint', nullable: true })
  completedAt: number | null;

  @Column(() => EventRecord)
  completed: EventRecord;

  @Column({ type: 'varchar', length: 64, nullable: true })
  disposition: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  dispositionDesc: string | null;

  /**
   * All extensions of the object as one JSON object (name → value); NULL when it has none. TypeORM's own
   * JSON.stringify and JSON.parse would rewrite numbers: inserts write it with `persistentValue`, updates and
   * reads through TrackedObjectsRepository, all by exact JSON (docs/API.md §5).
   */
  @Column({ type: 'json', nullable: true })
  extensions: Record<string, unknown> | null;
}
