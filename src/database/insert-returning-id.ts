import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Inserts one row and returns its generated id in one round trip. TypeORM's own insert re-selects every
 * column with a default after the INSERT on MySQL; here the id comes from the driver's insert result
 * (mysql2's insertId, SQLite's last_insert_rowid() on the same connection).
 */
export async function insertReturningId<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  values: Partial<T>,
): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(target)
    .values(values)
    .updateEntity(false)
    .execute();
  const raw = result.raw as { insertId?: number } | undefined;
  if (typeof raw?.insertId === 'number') return raw.insertId;
  const [row] = await manager.query<{ id: number }[]>('SELECT last_insert_rowid() AS id');
  return Number(row.id);
}
