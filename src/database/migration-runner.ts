import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { transientReasonOf } from './database-errors';

/** How long an instance waits for another's migrations before its boot fails. */
const LOCK_WAIT_MS = 300_000;
/** A holder that stops renewing its lease (it died) loses the lock this long after its last renewal. */
const LEASE_SECONDS = 15;
const RENEW_EVERY_MS = 5_000;
const POLL_MS = 250;

/**
 * The one table no migration creates: the lock that lets the migrations run at all, once. A row, not
 * GET_LOCK: a named lock lives on one server, and on a Galera cluster instances booting on different
 * nodes would each take "the" lock. A row is replicated and certified like any other write, so exactly
 * one INSERT of it wins cluster-wide.
 */
const CREATE_LOCK_TABLE = `CREATE TABLE IF NOT EXISTS migrations_lock (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  holder CHAR(36) NOT NULL,
  expires_at DATETIME(3) NOT NULL
) ENGINE=InnoDB`;

/**
 * Takes the lock when it is free or its lease ran out. The assignments run left to right, so `holder` is
 * decided on the old `expires_at`, then `expires_at` on the same condition. UTC_TIMESTAMP: every node's
 * clock in one time zone, whatever its system settings.
 */
const TAKE_LOCK = `INSERT INTO migrations_lock (id, holder, expires_at)
  VALUES (1, ?, UTC_TIMESTAMP(3) + INTERVAL ${LEASE_SECONDS} SECOND)
  ON DUPLICATE KEY UPDATE
    holder = IF(expires_at < UTC_TIMESTAMP(3), VALUES(holder), holder),
    expires_at = IF(holder = VALUES(holder), VALUES(expires_at), expires_at)`;

/**
 * Runs the pending migrations at boot (MIGRATIONS_RUN), one instance at a time, on a standalone server and
 * on a Galera cluster alike: the instance whose row in `migrations_lock` wins migrates and renews its lease
 * meanwhile; the others poll until the row is gone, then find nothing pending. If the holder dies its lease
 * runs out and the next instance takes over. The embedded engine has one process by nature.
 */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.MIGRATIONS_RUN) return;
    if (this.dataSource.options.type === 'sqljs') return this.migrate();
    await this.dataSource.query(CREATE_LOCK_TABLE);
    const holder = randomUUID();
    await this.acquire(holder);
    const renewal = setInterval(() => {
      this.dataSource
        .query(
          `UPDATE migrations_lock SET expires_at = UTC_TIMESTAMP(3) + INTERVAL ${LEASE_SECONDS} SECOND
           WHERE id = 1 AND holder = ?`,
          [holder],
        )
        .catch((error: Error) => this.logger.warn(`could not renew the lock: ${error.message}`));
    }, RENEW_EVERY_MS);
    try {
      await this.migrate();
    } finally {
      clearInterval(renewal);
      await this.dataSource.query('DELETE FROM migrations_lock WHERE id = 1 AND holder = ?', [
        holder,
      ]);
    }
  }

  private async acquire(holder: string): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await this.dataSource.query(TAKE_LOCK, [holder]);
        const [row] = await this.dataSource.query<{ holder: string }[]>(
          'SELECT holder FROM migrations_lock WHERE id = 1',
        );
        if (row?.holder === holder) return;
      } catch (error) {
        // Two nodes inserting the row at once: Galera certifies one and reports the other as a deadlock.
        if (!transientReasonOf(error)) throw error;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `another instance held the migration lock for over ${LOCK_WAIT_MS / 1000} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
    }
  }

  private async migrate(): Promise<void> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      this.logger.log(`applied ${applied.map((migration) => migration.name).join(', ')}`);
    }
  }
}
