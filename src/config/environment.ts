import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  registerDecorator,
  validateSync,
} from 'class-validator';
import { parseApiKeys } from './api-keys';
import { DURATION } from './duration';
import { parseTenantName, parseTenants } from './tenants';
import { parseTrustProxy } from './trust-proxy';

/** Parses the usual spellings of a boolean environment variable; anything else stays as is and fails validation. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
}

function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
}

const DURATION_MESSAGE = (name: string) =>
  `${name} must be a duration such as 30s, 15m, 36h, 14d or 2w (or a number of seconds)`;

/** The setting must parse; the message is the parser's, which names the bad entry. */
function IsParsedBy(parse: (text: string) => unknown): PropertyDecorator {
  const problem = (value: unknown): string | undefined => {
    try {
      parse(String(value));
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isParsedBy',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args) => problem(args?.value) ?? `${String(propertyName)} is not valid`,
      },
    });
}

export const RATE_LIMIT_FORMAT = /^([1-9]\d*)\/(s|m|h)$/;

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `genesys`: states and tasks may start in completed parents, as Genesys allows; `strict`: a 409. */
/** How errors answer: this service's envelope, or Genesys's classes, texts and statuses beside it. */
export const ERROR_STYLES = ['standard', 'genesys'] as const;
export type ErrorStyle = (typeof ERROR_STYLES)[number];

export const LIFECYCLES = ['genesys', 'strict'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Every setting the service reads, with its default. `.env.example` and the README document the same list;
 * the boot fails with a message naming each bad variable rather than running half-configured.
 */
export class Environment {
  @Transform(toInteger)
  @Min(1)
  @Max(65535)
  @IsInt()
  PORT = 3000;

  /** The address to listen on: every IPv4 interface unless told otherwise (`::` for IPv6 too, `127.0.0.1`). */
  @IsString()
  @Matches(/^[\w.:%-]+$/, { message: 'HOST must be an IP address or a host name' })
  HOST = '0.0.0.0';

  /**
   * Peers (addresses, CIDRs, `loopback`…) whose `X-Forwarded-For/-Proto/-Host` are believed: a reverse
   * proxy or load balancer in front. Unset: none, the headers are ignored.
   */
  @IsOptional()
  @IsParsedBy(parseTrustProxy)
  TRUST_PROXY?: string;

  /** PEM certificate chain to serve HTTPS with, beside TLS_KEY_FILE; reread on SIGHUP. Unset: plain HTTP. */
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  /** PEM private key of TLS_CERT_FILE's certificate. */
  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  /** `mariadb://`, `mysql://`, `sqlite:<path>` or `sqlite::memory:`; absent means the embedded file. */
  @IsOptional()
  @IsString()
  @Matches(/^(mariadb|mysql|sqlite):/, {
    message: 'DATABASE_URL must start with mariadb://, mysql:// or sqlite:',
  })
  DATABASE_URL?: string;

  @Transform(toInteger)
  @Min(1)
  @Max(1000)
  @IsInt()
  DB_POOL_SIZE = 8;

  /** Most states one service may hold (a start past it is a 409). */
  @Transform(toInteger)
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  MAX_STATES_PER_SERVICE = 1000;

  /** Most tasks one service may hold, its states' included (a start past it is a 409). */
  @Transform(toInteger)
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  MAX_TASKS_PER_SERVICE = 1000;

  /** Most states, and most tasks, a nested read of a service returns; it says how many more there are. */
  @Transform(toInteger)
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  NESTED_READ_LIMIT = 1000;

  /** Connections of the pool that statistics and exports read on (ReportReads), apart from the writers'. */
  @Transform(toInteger)
  @Min(1)
  @Max(100)
  @IsInt()
  DB_READ_POOL_SIZE = 2;

  /** Longest a statistics statement may run before the server stops it (a 503). */
  @Transform(toInteger)
  @Min(100)
  @Max(600_000)
  @IsInt()
  DB_READ_TIMEOUT_MS = 10_000;

  /** How long a statistics answer serves identical requests (0: computed for every request). */
  @Transform(toInteger)
  @Min(0)
  @Max(300_000)
  @IsInt()
  STATS_CACHE_MS = 5000;

  /** A size as raw-body (the body reader) understands it: `1mb`, `512kb`, or a number of bytes. */
  @IsString()
  @Matches(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, {
    message: 'BODY_LIMIT must be a size such as 1mb, 512kb or 1048576',
  })
  BODY_LIMIT = '1mb';

  /** The largest body `POST /maintenance/services/import` reads (streamed, so past BODY_LIMIT). */
  @IsString()
  @Matches(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, {
    message: 'IMPORT_MAX_BYTES must be a size such as 256mb, 1gb or 1048576',
  })
  IMPORT_MAX_BYTES = '256mb';

  @Transform(toInteger)
  @Min(1)
  @Max(10000)
  @IsInt()
  COMPOSITE_MAX_EVENTS = 100;

  @Transform(toInteger)
  @Min(2)
  @Max(16 * 1024 * 1024)
  @IsInt()
  EXTENSION_MAX_BYTES = 65536;

  @Transform(toInteger)
  @Min(1)
  @Max(64)
  @IsInt()
  EXTENSION_MAX_DEPTH = 16;

  /** The most bytes of JSON all extensions of one service, state or task may take together. */
  @Transform(toInteger)
  @Min(2)
  @Max(64 * 1024 * 1024)
  @IsInt()
  EXTENSION_MAX_TOTAL_BYTES = 1048576;

  /** The most extensions one service, state or task may have. */
  @Transform(toInteger)
  @Min(1)
  @Max(10000)
  @IsInt()
  EXTENSION_MAX_COUNT = 100;

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Comma-separated tenants allowed in ContactCenterId, each a name or `dbid=name`; unset: any. */
  @IsOptional()
  @IsParsedBy(parseTenants)
  TENANTS?: string;

  /** The tenant of requests without ContactCenterId (GMS uses the application's own, often Environment). */
  @IsParsedBy(parseTenantName)
  DEFAULT_TENANT = 'default';

  /** `name:role:sha256hex[:tenant1|tenant2]`, comma-separated; unset: access control off. */
  @IsOptional()
  @IsParsedBy(parseApiKeys)
  API_KEYS?: string;

  /** Expiration of services that have none of their own, counted from their last activity; unset: never. */
  @IsOptional()
  @Matches(DURATION, { message: DURATION_MESSAGE('DEFAULT_EXPIRATION') })
  DEFAULT_EXPIRATION?: string;

  /** Inactivity after which services without their own auto_complete_after complete; unset: never. */
  @IsOptional()
  @Matches(DURATION, { message: DURATION_MESSAGE('AUTO_COMPLETE_AFTER') })
  AUTO_COMPLETE_AFTER?: string;

  /** How often each instance sweeps expired and inactive services; 0 turns the sweeper off. */
  @Matches(DURATION, { message: DURATION_MESSAGE('SWEEP_INTERVAL') })
  SWEEP_INTERVAL = '60s';

  /** Services handled per sweep or purge batch (each batch is one short transaction). */
  @Transform(toInteger)
  @Min(1)
  @Max(100000)
  @IsInt()
  SWEEP_BATCH_SIZE = 500;

  /** Allowed values of types and dispositions; the file is optional (no check without it). */
  @IsString()
  BUSINESS_ATTRIBUTES_FILE = 'config/business-attributes.json';

  /** Origins whose pages may call the API from a browser (CORS): comma-separated, or `*`. Unset: none. */
  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*)$/, {
    message:
      'CORS_ORIGINS must be * or comma-separated origins such as https://desk.example.com,http://localhost:8080',
  })
  CORS_ORIGINS?: string;

  /** Whether a state or task may start in a completed service, or a task in a completed state. */
  @IsIn(LIFECYCLES, { message: `LIFECYCLE must be one of ${LIFECYCLES.join(', ')}` })
  LIFECYCLE: Lifecycle = 'genesys';

  /** Errors in this service's envelope, or with Genesys's classes, texts and statuses (docs/API.md §8). */
  @IsIn(ERROR_STYLES, { message: `ERROR_STYLE must be one of ${ERROR_STYLES.join(', ')}` })
  ERROR_STYLE: ErrorStyle = 'standard';

  /** Where `POST /maintenance/services/files` writes its files. */
  @IsString()
  EXPORT_DIR = 'data/exports';

  /** How long export files are kept before the sweeper removes them (`7d`, `12h`). */
  @Matches(DURATION, { message: DURATION_MESSAGE('EXPORT_RETENTION') })
  EXPORT_RETENTION = '7d';

  /** Most export files kept; past it the sweeper removes the oldest. */
  @Transform(toInteger)
  @Min(3)
  @Max(1_000_000)
  @IsInt()
  EXPORT_MAX_FILES = 1000;

  /** Unset: `pretty` when NODE_ENV is `development`, else `json` (one object a line, for log collectors). */
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT?: LogFormat;

  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** Longest a request may take to arrive whole (headers and body): a trickled body is cut off then. */
  @Transform(toInteger)
  @Min(1000)
  @Max(600000)
  @IsInt()
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** Longest the request headers may take to arrive. */
  @Transform(toInteger)
  @Min(1000)
  @Max(600000)
  @IsInt()
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /** How long an idle keep-alive connection stays open (keep it above a load balancer's own idle timeout). */
  @Transform(toInteger)
  @Min(1000)
  @Max(600000)
  @IsInt()
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 65000;

  /** Attempts of a transaction that keeps losing lock races (deadlock, lock wait timeout) before a 503. */
  @Transform(toInteger)
  @Min(1)
  @Max(100)
  @IsInt()
  DB_RETRY_ATTEMPTS = 10;

  /** Time a transaction may spend on retries, jittered back-off included, before a 503. */
  @Transform(toInteger)
  @Min(0)
  @Max(60000)
  @IsInt()
  DB_RETRY_BUDGET_MS = 3000;

  /** How long a SIGTERM waits for requests in flight before cutting their connections. */
  @Transform(toInteger)
  @Min(0)
  @Max(600000)
  @IsInt()
  SHUTDOWN_TIMEOUT_MS = 10000;

  /**
   * V8's `heap-growing-percent`: how far the heap may grow past what a full collection left live before the
   * next one. Lower holds memory tighter for a little throughput (docs/PERFORMANCE.md, Memory).
   */
  @Transform(toInteger)
  @Min(5)
  @Max(200)
  @IsInt()
  HEAP_GROWING_PERCENT = 50;

  /** Requests per API key or tenant, per instance: `100/s`, `6000/m`, `50000/h`. Unset: no limit. */
  @IsOptional()
  @IsString()
  @Matches(RATE_LIMIT_FORMAT, {
    message: 'RATE_LIMIT must be a count per second, minute or hour, such as 100/s or 6000/m',
  })
  RATE_LIMIT?: string;
}

/**
 * The resolved output format: an explicit LOG_FORMAT, else pretty for a person (standard output is a
 * terminal, or NODE_ENV=development) and JSON for everything else (a pipe, a file, a log collector).
 */
export function logFormatOf(
  env: Pick<Environment, 'LOG_FORMAT' | 'NODE_ENV'>,
  terminal = process.stdout.isTTY === true,
): LogFormat {
  return env.LOG_FORMAT ?? (env.NODE_ENV === 'development' || terminal ? 'pretty' : 'json');
}

/** Variables whose value a boot error never prints: API_KEYS holds the keys' digests. */
const SECRET = new Set(['API_KEYS']);

/** `ConfigModule`'s validate hook: returns the typed settings or throws one error listing every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // Empty strings (`PORT=` in a .env file) mean "not set", so the default applies.
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
  const env = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { stopAtFirstError: true });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map(
        (m) => `  - ${m}${SECRET.has(e.property) ? '' : ` (got ${JSON.stringify(e.value)})`}`,
      ),
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}

/**
 * A setting that validated but does not work on this machine (an EXPORT_DIR that cannot take files): found
 * while the application starts, and reported like the settings validation refuses.
 */
export class ConfigurationError extends Error {}
