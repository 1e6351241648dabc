import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '../config/environment';
import { dataSourceOptions } from './data-source.factory';
import { EmbeddedStore } from './embedded-store';
import { TransactionRunner } from './transaction-runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        ...dataSourceOptions({
          DATABASE_URL: config.get('DATABASE_URL', { infer: true }),
          DB_POOL_SIZE: config.get('DB_POOL_SIZE', { infer: true }),
          MIGRATIONS_RUN: config.get('MIGRATIONS_RUN', { infer: true }),
        }),
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [EmbeddedStore, TransactionRunner],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
