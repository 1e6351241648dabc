import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source.factory';
import { EmbeddedStore } from './embedded-store';
import { TransactionRunner } from './transaction-runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [EmbeddedStore, TransactionRunner],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
