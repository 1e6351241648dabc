import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source.factory';
import { DatabaseProbe } from './database-probe';
import { EmbeddedStore } from './embedded-store';
import { MigrationRunner } from './migration-runner';
import { ReportReads } from './report-reads';
import { TransactionRunner } from './transaction-runner';

/** The database for every module: TransactionRunner is the one way to it, hence global, as TypeORM's own. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        // Each feature module registers its own entities (TypeOrmModule.forFeature).
        autoLoadEntities: true,
        // The MigrationRunner runs them, one instance at a time.
        migrationsRun: false,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [EmbeddedStore, MigrationRunner, TransactionRunner, DatabaseProbe, ReportReads],
  exports: [TransactionRunner, EmbeddedStore, DatabaseProbe, ReportReads],
})
export class DatabaseModule {}
