import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';

/** The database-held lock that serialises the migrations of instances booting at once. */
const LOCK = 'context_services_migrations';
/** How long an instance waits for another's migrations before its boot fails. */
const LOCK_WAIT_SECONDS = 300;

/**
 * Runs the pending migrations at boot (MIGRATIONS_RUN), one instance at a time: on MariaDB/MySQL under a
 * named lock that the server holds for the connection that took it, and releases if that instance dies,
 * so that instances booting together on an empty database do not race to create the same tables. The
 * others wait, then find nothing pending. The embedded engine has one process by nature.
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
    const runner = this.dataSource.createQueryRunner();
    try {
      const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS taken', [
        LOCK,
        LOCK_WAIT_SECONDS,
      ])) as { taken: number | string | null }[];
      if (Number(row.taken) !== 1) {
        throw new Error(`another instance held the migration lock for over ${LOCK_WAIT_SECONDS} s`);
      }
      try {
        await this.migrate();
      } finally {
        await runner.query('SELECT RELEASE_LOCK(?)', [LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async migrate(): Promise<void> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      this.logger.log(`applied ${applied.map((migration) => migration.name).join(', ')}`);
    }
  }
}
