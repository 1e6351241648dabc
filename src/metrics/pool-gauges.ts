import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** The parts of a mysql2 pool that tell how busy it is (internal fields: mysql2 exposes no API for them). */
interface Mysql2Pool {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

function poolOf(dataSource: DataSource): Mysql2Pool | undefined {
  const pool = (dataSource.driver as { pool?: Partial<Mysql2Pool> }).pool;
  return pool?._allConnections && pool._freeConnections && pool._connectionQueue
    ? (pool as Mysql2Pool)
    : undefined;
}

/** Connections in use and requests waiting for one, read at each scrape; 0 on the embedded engine. */
export function registerPoolGauges(registry: Registry, dataSource: DataSource): void {
  new Gauge({
    name: 'cs_db_pool_connections_in_use',
    help: 'Database connections lent out by the pool',
    registers: [registry],
    collect() {
      const pool = poolOf(dataSource);
      this.set(pool ? pool._allConnections.length - pool._freeConnections.length : 0);
    },
  });
  new Gauge({
    name: 'cs_db_pool_requests_waiting',
    help: 'Requests waiting for a database connection',
    registers: [registry],
    collect() {
      this.set(poolOf(dataSource)?._connectionQueue.length ?? 0);
    },
  });
}
