import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { DatabaseProbe } from '../database/database-probe';

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

/**
 * Whether the database serves, and on Galera the node's state, asked at each scrape on the probe's own
 * connections: `cs_db_ready` 1 or 0; `cs_db_node_info{engine,node_state,cluster_status}` 1 for the state now;
 * `cs_db_cluster_size` the nodes in this node's component (1 for a standalone server or the embedded engine).
 */
export function registerDatabaseStateGauges(registry: Registry, probe: DatabaseProbe): void {
  // The three gauges collect at once during a scrape, and so share one probe (DatabaseProbe.check).
  const current = () => probe.check();
  new Gauge({
    name: 'cs_db_ready',
    help: 'Whether the database answers and takes writes (on Galera: wsrep_ready ON and Synced)',
    registers: [registry],
    async collect() {
      this.set((await current()).ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'cs_db_node_info',
    help: 'The database node as this instance sees it (1 for the labels that hold now)',
    labelNames: ['engine', 'node_state', 'cluster_status'],
    registers: [registry],
    async collect() {
      const { engine, nodeState, clusterStatus } = await current();
      this.reset();
      this.set({ engine, node_state: nodeState ?? '', cluster_status: clusterStatus ?? '' }, 1);
    },
  });
  new Gauge({
    name: 'cs_db_cluster_size',
    help: "Nodes in this Galera node's component (1 for a standalone server or the embedded engine)",
    registers: [registry],
    async collect() {
      const { engine, clusterSize } = await current();
      this.set(engine === 'galera' ? (clusterSize ?? 0) : 1);
    },
  });
}
