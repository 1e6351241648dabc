import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { parseDatabaseUrl, serverConnectionOptions } from './database-url';

/** What the database looks like from this instance, for /health and /metrics. */
export interface DatabaseState {
  /** The database answers and will take writes. */
  ready: boolean;
  /** `server` is a standalone MariaDB or MySQL; until the first answer a server counts as one. */
  engine: 'embedded' | 'server' | 'galera';
  /** Galera only: the node's `wsrep_local_state_comment` (Synced, Donor/Desynced, Joining…). */
  nodeState?: string;
  /** Galera only: `wsrep_cluster_status` (Primary, non-Primary, Disconnected). */
  clusterStatus?: string;
  /** Galera only: `wsrep_cluster_size`, the nodes in this node's component. */
  clusterSize?: number;
}

/** An answer slower than this is an answer too late for a load balancer: the database counts as down. */
const PROBE_TIMEOUT_MS = 1500;

const WSREP_STATUS = `SHOW GLOBAL STATUS WHERE Variable_name IN
  ('wsrep_provider_name', 'wsrep_ready', 'wsrep_local_state_comment', 'wsrep_cluster_status', 'wsrep_cluster_size')`;

/**
 * Asks the database whether it can serve, on a connection pool of its own (two connections, short timeouts)
 * so that the answer never waits behind the requests' pool: during a Galera freeze or a burst of load the
 * request connections are all busy, and a health check queued behind them would report a healthy node
 * down. On a Galera node "can serve" means `wsrep_ready = ON` and `wsrep_local_state_comment = Synced`;
 * a node outside the primary component answers every statement with errno 1047 (docs/API.md §7).
 */
@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private readonly pool: Pool | undefined;
  /** What the last answer showed, so that a probe that gets none still names the engine. */
  private engine: DatabaseState['engine'] = 'server';
  private inFlight: Promise<DatabaseState> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    const target = parseDatabaseUrl(config.DATABASE_URL);
    this.pool =
      target.kind === 'embedded'
        ? undefined
        : createPool({
            ...serverConnectionOptions(target),
            connectionLimit: 2,
            connectTimeout: 1000,
            // Two probes may wait for a connection (a slow answer holds one); any more fail at once.
            queueLimit: 2,
            enableKeepAlive: true,
          });
  }

  /**
   * The database's state now; never throws, and answers within PROBE_TIMEOUT_MS. Callers that ask while a
   * probe is under way (a scrape's gauges, a health check at the same moment) share its answer.
   */
  check(): Promise<DatabaseState> {
    this.inFlight ??= this.probe().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async probe(): Promise<DatabaseState> {
    if (!this.pool) return this.checkEmbedded();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<DatabaseState>((resolve) => {
      timer = setTimeout(() => resolve({ ready: false, engine: this.engine }), PROBE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.checkServer(this.pool), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }

  /** The embedded engine answers from memory (its file's storage is EmbeddedStore's to report). */
  private async checkEmbedded(): Promise<DatabaseState> {
    try {
      await this.dataSource.query('SELECT 1');
      return { ready: true, engine: 'embedded' };
    } catch {
      return { ready: false, engine: 'embedded' };
    }
  }

  private async checkServer(pool: Pool): Promise<DatabaseState> {
    try {
      const [rows] = await pool.query<RowDataPacket[]>(WSREP_STATUS);
      const status = Object.fromEntries(
        rows.map((row) => [String(row.Variable_name), String(row.Value)]),
      );
      // MySQL has no wsrep variables; MariaDB without a provider reports an empty provider name.
      if (!status.wsrep_provider_name) {
        this.engine = 'server';
        return { ready: true, engine: 'server' };
      }
      this.engine = 'galera';
      const nodeState = status.wsrep_local_state_comment;
      return {
        ready: status.wsrep_ready === 'ON' && nodeState === 'Synced',
        engine: 'galera',
        nodeState,
        clusterStatus: status.wsrep_cluster_status,
        clusterSize: Number(status.wsrep_cluster_size),
      };
    } catch {
      return { ready: false, engine: this.engine };
    }
  }
}
