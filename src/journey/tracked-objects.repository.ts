import { EntityManager, EntityTarget, FindOptionsWhere, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { forUpdate } from '../database/lock';
import { parseJson } from '../json/exact-json';
import { Extensions } from '../validation/extensions';
import { Page, Status } from './status';
import { CompletionColumns } from './tracked-object.columns';
import { TrackedObjectEntity } from './tracked-object.entity';
import { activeSql, completedSql } from './activity-sql';

/**
 * The SQL that services, states and tasks share: reads by id, completion, extension updates, status filters
 * and list ordering (started, then id).
 */
export abstract class TrackedObjectsRepository<T extends TrackedObjectEntity> {
  protected constructor(protected readonly target: EntityTarget<T>) {}

  findOne(manager: EntityManager, where: FindOptionsWhere<T>): Promise<T | null> {
    return manager.findOne(this.target, { where });
  }

  /** Completes the object if it is still active; false if it was already completed. */
  async complete(manager: EntityManager, id: number, columns: CompletionColumns): Promise<boolean> {
    const affected = await this.update(manager, columns, `id = :id AND ${activeSql()}`, {
      id,
    });
    return affected > 0;
  }

  /** Completes every still-active row whose `column` is `value` (a completion cascading down). */
  async completeActiveWhere(
    manager: EntityManager,
    column: 'service_id' | 'state_id',
    value: number,
    columns: CompletionColumns,
  ): Promise<void> {
    await this.update(manager, columns, `${column} = :value AND ${activeSql()}`, { value });
  }

  /**
   * Read-modify-write of the extensions of one row, locked until the transaction ends so that two
   * concurrent updates of different names both survive. False when there is no such row.
   */
  async updateExtensions(
    manager: EntityManager,
    id: number,
    change: (current: Extensions) => Extensions,
  ): Promise<boolean> {
    const row = await forUpdate(
      manager
        .createQueryBuilder(this.target, 'o')
        .select('o.extensions', 'extensions')
        .where('o.id = :id', { id }),
    ).getRawOne<{ extensions: Extensions | string | null }>();
    if (!row) return false;
    const current =
      typeof row.extensions === 'string'
        ? (parseJson(row.extensions) as Extensions)
        : row.extensions;
    const next = change(current ?? {});
    await this.update(
      manager,
      { extensions: Object.keys(next).length > 0 ? next : null },
      'id = :id',
      { id },
    );
    return true;
  }

  /** UPDATE of the shared columns; the number of rows changed. */
  protected async update(
    manager: EntityManager,
    values: Partial<TrackedObjectEntity>,
    where: string,
    parameters: Record<string, unknown>,
  ): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(this.target)
      // T extends TrackedObjectEntity, so every shared column exists on it.
      .set(values as unknown as QueryDeepPartialEntity<T>)
      .where(where, parameters)
      .execute();
    return result.affected ?? 0;
  }

  /** The children of the given parents (`column` in `ids`) with that status, in list order, in one query. */
  async findChildren(
    manager: EntityManager,
    column: 'serviceId' | 'stateId',
    ids: number[],
    status: Status,
  ): Promise<T[]> {
    if (ids.length === 0) return [];
    const query = manager
      .createQueryBuilder(this.target, 'o')
      .where(`o.${column} IN (:...ids)`, { ids });
    return this.ordered(this.withStatus(query, status)).getMany();
  }

  protected withStatus(query: SelectQueryBuilder<T>, status: Status): SelectQueryBuilder<T> {
    if (status === 'active') return query.andWhere(activeSql('o'));
    if (status === 'completed') return query.andWhere(completedSql('o'));
    return query;
  }

  protected ordered(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return query.orderBy('o.startedAt', 'ASC').addOrderBy('o.id', 'ASC');
  }

  protected paged(query: SelectQueryBuilder<T>, page: Page): Promise<T[]> {
    return this.ordered(query).limit(page.limit).offset(page.offset).getMany();
  }
}
