/**
 * Entry point of the TypeORM CLI (`npm run migration:*`): the same DataSource definition the application
 * uses, configured from the same validated environment (including `.env`, as the application reads it).
 */
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './config/environment';
import { ServiceEntity } from './services/service.entity';
import { StateEntity } from './states/state.entity';
import { TaskEntity } from './tasks/task.entity';
import { dataSourceOptions } from './database/data-source.factory';

if (existsSync('.env')) process.loadEnvFile('.env');
export default new DataSource({
  ...dataSourceOptions(validateEnvironment(process.env), true),
  entities: [ServiceEntity, StateEntity, TaskEntity],
});
