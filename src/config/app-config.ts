import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from './environment';

/**
 * The validated settings, injected with `@Inject(appConfig.KEY)`. Providers that need configuration depend on
 * this token, so when validation fails nothing that uses a setting (the database above all) is ever built.
 */
export const appConfig = registerAs('app', () => validateEnvironment(process.env));

export type AppConfig = ConfigType<typeof appConfig>;
