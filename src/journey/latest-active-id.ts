import { EntityManager, EntityMetadata, EntityTarget } from 'typeorm';
import { TrackedObjectEntity } from './tracked-object.entity';
import { activeSql, LATEST_FIRST } from './activity-sql';

/** The SQL of each (table, criteria) pair, built once: composite start runs it several times a request. */
const statements = new WeakMap<EntityMetadata, Map<string, string>>();

function latestActiveSql(metadata: EntityMetadata, properties: string[], extra: string): string {
  let byCriteria = statements.get(metadata);
  if (!byCriteria) statements.set(metadata, (byCriteria = new Map<string, string>()));
  const cacheKey = `${properties.join(',')} ${extra}`;
  let sql = byCriteria.get(cacheKey);
  if (!sql) {
    const conditions = properties.map((property) => {
      const column = metadata.findColumnWithPropertyPath(property);
      if (!column) throw new Error(`${metadata.name} has no property ${property}`);
      return `${column.databaseName} = ?`;
    });
    sql =
      `SELECT id FROM ${metadata.tableName} WHERE ${activeSql()} AND ${conditions.join(' AND ')}` +
      (extra ? ` AND ${extra} ` : ' ') +
      `ORDER BY ${LATEST_FIRST} LIMIT 1`;
    byCriteria.set(cacheKey, sql);
  }
  return sql;
}

/**
 * The id of the most recently started active (not completed) row matching every criterion exactly, if any:
 * how composite start finds "the" active service, state or task when plain starts have made duplicates.
 * `extra` adds a condition on the table (named by its table name), with its positional parameters. Plain
 * parameterised SQL: it is on composite start's hot path, where building it through the query builder each
 * time cost more than the database did.
 */
export async function findLatestActiveId<T extends TrackedObjectEntity>(
  manager: EntityManager,
  target: EntityTarget<T>,
  criteria: Partial<Record<keyof T & string, string | number>>,
  extra: { sql: string; parameters: unknown[] } = { sql: '', parameters: [] },
): Promise<number | undefined> {
  const sql = latestActiveSql(
    manager.connection.getMetadata(target),
    Object.keys(criteria),
    extra.sql,
  );
  const values: unknown[] = Object.values(criteria);
  const rows = await manager.query<{ id: number | string }[]>(sql, [
    ...values,
    ...extra.parameters,
  ]);
  return rows.length > 0 ? Number(rows[0].id) : undefined;
}
