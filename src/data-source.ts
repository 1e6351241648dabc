/**
 * Entry point of the TypeORM CLI (`npm run migration:*`): the same DataSource definition the application
 * uses, configured from the same validated environment (including `.env`, as the application reads it).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './config/environment';
import { dataSourceOptions } from './database/data-source.factory';

if (existsSync('.env')) process.loadEnvFile('.env');
export default new DataSource({
  ...dataSourceOptions(validateEnvironment(process.env), true),
  // Every module's entities, as the application registers them (TypeOrmModule.forFeature): nothing to list.
  entities: [path.join(__dirname, '**', '*.entity.{ts,js}')],
});
