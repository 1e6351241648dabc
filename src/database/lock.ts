import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Locks the selected rows until the transaction ends (SELECT … FOR UPDATE) on MySQL/MariaDB. The embedded
 * engine has no row locks and needs none: its transactions never run concurrently.
 */
export function forUpdate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
): SelectQueryBuilder<T> {
  return query.connection.driver.options.type === 'sqljs'
    ? query
    : query.setLock('pessimistic_write');
}
