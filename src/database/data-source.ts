/**
 * Entry point of the TypeORM CLI (`npm run migration:*`): the same DataSource definition the application
 * uses, configured from the same validated environment (including `.env`, as the application reads it).
 */
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../config/environment';
import { dataSourceOptions } from './data-source.factory';

if (existsSync('.env')) process.loadEnvFile('.env');
export default new DataSource(dataSourceOptions(validateEnvironment(process.env), true));
