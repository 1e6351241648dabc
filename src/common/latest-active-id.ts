import { EntityManager, EntityTarget, SelectQueryBuilder } from 'typeorm';
import { TrackedObjectEntity } from './tracked-object.entity';

/**
 * The id of the most recently started active (not completed) row matching every criterion exactly, if any:
 * how composite start finds "the" active service, state or task when plain starts have made duplicates.
 */
export async function findLatestActiveId<T extends TrackedObjectEntity>(
  manager: EntityManager,
  target: EntityTarget<T>,
  criteria: Partial<Record<keyof T & string, string | number>>,
  refine: (query: SelectQueryBuilder<T>) => SelectQueryBuilder<T> = (query) => query,
): Promise<number | undefined> {
  const query = manager
    .createQueryBuilder(target, 'o')
    .select('o.id', 'id')
    .where('o.completedAt IS NULL');
  for (const [property, value] of Object.entries(criteria) as [string, string | number][]) {
    query.andWhere(`o.${property} = :${property}`, { [property]: value });
  }
  const row = await refine(query)
    .orderBy('o.startedAt', 'DESC')
    .addOrderBy('o.id', 'DESC')
    .limit(1)
    .getRawOne<{ id: number }>();
  return row ? Number(row.id) : undefined;
}
