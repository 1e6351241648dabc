import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

interface InsertResult {
  insertId?: number;
}

/**
 * Inserts one row and returns its generated id in one round trip, as plain parameterised SQL: composite start
 * inserts up to three rows per event, and TypeORM's query builder cost more CPU per insert than the database
 * did. Only the columns given in `values` are written (the others take their defaults); values are converted
 * for the driver as TypeORM's own insert would (JSON columns serialised). The id comes from mysql2's
 * insertId, or from RETURNING on the embedded engine.
 */
export async function insertReturningId<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  values: Partial<T>,
): Promise<number> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns: ColumnMetadata[] = [];
  const parameters: unknown[] = [];
  for (const column of metadata.columns) {
    const value: unknown = column.getEntityValue(values);
    if (value === undefined) continue;
    columns.push(column);
    parameters.push(driver.preparePersistentValue(value, column));
  }
  const embedded = driver.options.type === 'sqljs';
  const sql =
    `INSERT INTO ${metadata.tableName} (${columns.map((c) => c.databaseName).join(', ')}) ` +
    `VALUES (${columns.map(() => '?').join(', ')})${embedded ? ' RETURNING id' : ''}`;
  const result = await manager.query<InsertResult | { id: number }[]>(sql, parameters);
  return Number(Array.isArray(result) ? result[0].id : result.insertId);
}
