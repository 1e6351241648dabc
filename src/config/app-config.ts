import { ConfigType, registerAs } from '@nestjs/config';
import { loadBusinessAttributes } from './business-attributes-file';
import { parseApiKeys } from './api-keys';
import { durationMs } from './duration';
import { validateEnvironment } from './environment';
import { sizeBytes } from './size';
import { parseTenants } from './tenants';

function optionalDuration(text: string | undefined): number | undefined {
  return text === undefined ? undefined : durationMs(text);
}

/**
 * The validated settings, injected with `@Inject(appConfig.KEY)`, with the composite ones parsed once.
 * Providers that need configuration depend on this token, so when validation fails nothing that uses a
 * setting (the database above all) is ever built.
 */
export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  return {
    ...env,
    tenants: env.TENANTS ? parseTenants(env.TENANTS) : undefined,
    corsOrigins: env.CORS_ORIGINS === '*' ? ('*' as const) : env.CORS_ORIGINS?.split(','),
    apiKeys: parseApiKeys(env.API_KEYS),
    defaultExpirationMs: optionalDuration(env.DEFAULT_EXPIRATION),
    autoCompleteAfterMs: optionalDuration(env.AUTO_COMPLETE_AFTER),
    sweepIntervalMs: durationMs(env.SWEEP_INTERVAL),
    exportRetentionMs: durationMs(env.EXPORT_RETENTION),
    importMaxBytes: sizeBytes(env.IMPORT_MAX_BYTES),
    // Read here, not later, so that a malformed file stops the boot before the database is touched.
    businessAttributes: loadBusinessAttributes(env.BUSINESS_ATTRIBUTES_FILE),
  };
});

export type AppConfig = ConfigType<typeof appConfig>;
