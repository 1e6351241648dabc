import { Driver, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { stringifyJson } from '../json/exact-json';

interface InsertResult {
  insertId?: number;
}

/**
 * Whether one INSERT of several rows can answer all their ids: the embedded engine (SQLite ≥ 3.35) and
 * MariaDB ≥ 10.5 have `INSERT … RETURNING`. MySQL 8 has not; its ids could be derived from `insertId` (a
 * multi-row VALUES insert gets consecutive ids in every `innodb_autoinc_lock_mode`), but only while
 * `auto_increment_increment` is 1, which group replication changes: there composite start keeps its
 * single-row inserts rather than rely on a setting it cannot see.
 */
export function insertsReturnIds(manager: EntityManager): boolean {
  const driver = manager.connection.driver;
  return driver.options.type === 'sqljs' || driver.isReturningSqlSupported('insert');
}

/**
 * A plain parameterised INSERT of `rows` (as TypeORM's own insert would convert their values, JSON columns
 * serialised), without the query builder: composite start inserts up to three rows per event, and building
 * each insert through TypeORM cost more CPU than the database did. The columns are those the first row
 * gives (the others take their defaults); every row is built by the same function and gives the same ones.
 */
function insertStatement<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Partial<T>[],
  returning: boolean,
): { sql: string; parameters: unknown[] } {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((column) => column.getEntityValue(rows[0]) !== undefined);
  const parameters = rows.flatMap((row) =>
    columns.map((column): unknown => persistentValue(driver, column, column.getEntityValue(row))),
  );
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const sql =
    `INSERT INTO ${metadata.tableName} (${columns.map((c) => c.databaseName).join(', ')}) ` +
    `VALUES ${rows.map(() => placeholders).join(', ')}${returning ? ' RETURNING id' : ''}`;
  return { sql, parameters };
}

/**
 * A value as TypeORM's insert would write it, except JSON, which is written by exact JSON: TypeORM's
 * JSON.stringify would write an extension's `12345678901234567890` as a string (docs/API.md §5).
 */
function persistentValue(driver: Driver, column: ColumnMetadata, value: unknown): unknown {
  if (column.type === 'json') return value === null ? null : stringifyJson(value);
  return driver.preparePersistentValue(value, column) as unknown;
}

/** The columns of a fixed list of names, looked up once per entity and list (not on every statement). */
const columnsByList = new WeakMap<EntityMetadata, Map<readonly string[], ColumnMetadata[]>>();

function columnsNamed(
  metadata: EntityMetadata,
  databaseNames: readonly string[],
): ColumnMetadata[] {
  let lists = columnsByList.get(metadata);
  if (!lists) columnsByList.set(metadata, (lists = new Map<readonly string[], ColumnMetadata[]>()));
  let columns = lists.get(databaseNames);
  if (!columns) {
    columns = databaseNames.map((name) => {
      const column = metadata.findColumnWithDatabaseName(name);
      if (!column) throw new Error(`${metadata.tableName} has no column ${name}`);
      return column;
    });
    lists.set(databaseNames, columns);
  }
  return columns;
}

/**
 * The values of `row` for the columns named (database names), converted as TypeORM's own insert would convert
 * them (JSON serialised); null where the row has none. For statements whose columns are fixed, such as a
 * routine's arguments: `databaseNames` is a constant list. `table` is the entity's table name, so that callers
 * need not import its entity.
 */
export function columnValues(
  manager: EntityManager,
  table: string,
  row: ObjectLiteral,
  databaseNames: readonly string[],
): unknown[] {
  const driver = manager.connection.driver;
  return columnsNamed(manager.connection.getMetadata(table), databaseNames).map((column) => {
    const value: unknown = column.getEntityValue(row);
    return value === undefined ? null : persistentValue(driver, column, value);
  });
}

/** Inserts one row and returns its generated id in one round trip (mysql2's insertId, or RETURNING). */
export async function insertReturningId<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  values: Partial<T>,
): Promise<number> {
  const embedded = manager.connection.driver.options.type === 'sqljs';
  const { sql, parameters } = insertStatement(manager, target, [values], embedded);
  const result = await manager.query<InsertResult | { id: number }[]>(sql, parameters);
  return Number(Array.isArray(result) ? result[0].id : result.insertId);
}

/**
 * Inserts all `rows` in one statement and returns their ids in the order of `rows`; only where
 * `insertsReturnIds`. Within one statement the auto-increment counter hands out ascending ids in VALUES
 * order, so the ids RETURNING answers are sorted rather than trusted to come back in order.
 */
export async function insertReturningIds<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Partial<T>[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const { sql, parameters } = insertStatement(manager, target, rows, true);
  const returned = await manager.query<{ id: number | string }[]>(sql, parameters);
  return returned.map((row) => Number(row.id)).sort((a, b) => a - b);
}
