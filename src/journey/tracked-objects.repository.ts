import { EntityManager, EntityTarget, FindOptionsWhere, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { forUpdate } from '../database/lock';
import { mayAlterNumbers, parseJson, stringifyJson } from '../json/exact-json';
import { Extensions } from '../validation/extensions';
import { Page, Status } from './status';
import { CompletionColumns } from './tracked-object.columns';
import { TrackedObjectEntity } from './tracked-object.entity';
import { activeSql, completedSql } from './activity-sql';

/**
 * The entities a query reads, with their extensions as exact JSON. TypeORM reads the column by JSON.parse,
 * which rounds `12345678901234567890`; the few rows whose stored text has a number JSON.parse may alter are
 * read again from the text (docs/API.md §5).
 */
export async function exactlyRead<T extends TrackedObjectEntity>(
  query: SelectQueryBuilder<T>,
): Promise<T[]> {
  const { entities, raw } = await query.getRawAndEntities<Record<string, unknown>>();
  const alias = query.alias;
  const exact = new Map<number, unknown>();
  for (const row of raw) {
    const text = row[`${alias}_extensions`];
    if (typeof text === 'string' && mayAlterNumbers(text)) {
      exact.set(Number(row[`${alias}_id`]), parseJson(text));
    }
  }
  if (exact.size === 0) return entities;
  for (const entity of entities) {
    if (exact.has(entity.id)) entity.extensions = exact.get(entity.id) as Extensions;
  }
  return entities;
}

/**
 * The SQL that services, states and tasks share: reads by id, completion, extension updates, status filters
 * and list ordering (started, then id).
 */
export abstract class TrackedObjectsRepository<T extends TrackedObjectEntity> {
  protected constructor(protected readonly target: EntityTarget<T>) {}

  async findOne(manager: EntityManager, where: FindOptionsWhere<T>): Promise<T | null> {
    const [found] = await exactlyRead(manager.createQueryBuilder(this.target, 'o').where(where));
    return found ?? null;
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
      {
        id,
      },
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
    const { extensions, ...others } = values;
    // TypeORM would write the extensions by JSON.stringify: they go as exact JSON text instead.
    const set =
      extensions === undefined || extensions === null
        ? values
        : { ...others, extensions: () => ':exactExtensions' };
    const result = await manager
      .createQueryBuilder()
      .update(this.target)
      // T extends TrackedObjectEntity, so every shared column exists on it.
      .set(set as unknown as QueryDeepPartialEntity<T>)
      .where(where, { ...parameters, exactExtensions: extensions && stringifyJson(extensions) })
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
    return exactlyRead(this.ordered(this.withStatus(query, status)));
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
    return exactlyRead(this.ordered(query).limit(page.limit).offset(page.offset));
  }
}
