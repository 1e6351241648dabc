/** Classifies driver errors by what the caller should do about them, across mysql2 and sql.js. */

interface DriverError {
  errno?: number;
  code?: string;
  message?: string;
  driverError?: DriverError;
}

function driverErrorOf(error: unknown): DriverError {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as DriverError;
  return e.driverError ?? e;
}

const ER_DUP_ENTRY = 1062;
const ER_TOO_BIG_ROWSIZE = 1118;
const ER_NET_PACKET_TOO_LARGE = 1153;
const ER_DATA_TOO_LONG = 1406;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;
const ER_NO_REFERENCED_ROW_2 = 1452;
/** MariaDB's max_statement_time, MySQL's MAX_EXECUTION_TIME. */
const ER_STATEMENT_TIMEOUT = 1969;
const ER_QUERY_TIMEOUT = 3024;

export type RetryReason = 'deadlock' | 'lock_timeout' | 'conflict';

/** A unique index refused the row: someone else inserted the same key first. */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = driverErrorOf(error);
  return e.errno === ER_DUP_ENTRY || /UNIQUE constraint failed/.test(e.message ?? '');
}

/**
 * A foreign key refused the row: the parent it names is not there (deleted by a concurrent request after
 * the check, by code that did not lock the parent first). Nothing was stored.
 */
export function isMissingParentError(error: unknown): boolean {
  const e = driverErrorOf(error);
  return (
    e.errno === ER_NO_REFERENCED_ROW_2 || /FOREIGN KEY constraint failed/.test(e.message ?? '')
  );
}

/** The server stopped a read at its statement time limit (ReportReads.limited): nothing is wrong but load. */
export function isStatementTimeoutError(error: unknown): boolean {
  const { errno } = driverErrorOf(error);
  return errno === ER_STATEMENT_TIMEOUT || errno === ER_QUERY_TIMEOUT;
}

/**
 * The database refused what a request wrote for its size (a row, a packet or a value over its limits):
 * the client's data was too large, and nothing was stored.
 */
export function isTooLargeForDatabase(error: unknown): boolean {
  const e = driverErrorOf(error);
  return (
    e.errno === ER_TOO_BIG_ROWSIZE ||
    e.errno === ER_NET_PACKET_TOO_LARGE ||
    e.errno === ER_DATA_TOO_LONG ||
    /string or blob too big/i.test(e.message ?? '')
  );
}

/**
 * Thrown by a unit of work that found the world changed under it (say, the service it was adding to got
 * completed by a concurrent request): the transaction is rolled back and run again from the start.
 */
export class RetryableTransactionError extends Error {}

/**
 * A transaction lost its lock races more often, or for longer, than DB_RETRY_ATTEMPTS and
 * DB_RETRY_BUDGET_MS allow: nothing was changed, and the client may try again shortly (a 503).
 */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly reason: RetryReason,
    readonly attempts: number,
  ) {
    super(`transaction lost ${attempts} lock races (last: ${reason})`);
  }
}

/**
 * Why the transaction lost a race, or undefined when it did not. After such a loss, rolling back and running
 * it again is safe and will usually succeed.
 */
export function transientReasonOf(error: unknown): RetryReason | undefined {
  if (error instanceof RetryableTransactionError) return 'conflict';
  const { errno } = driverErrorOf(error);
  if (errno === ER_LOCK_DEADLOCK) return 'deadlock';
  if (errno === ER_LOCK_WAIT_TIMEOUT) return 'lock_timeout';
  return undefined;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'EMBEDDED_STORE_UNWRITABLE',
]);

/**
 * The server is up but will not serve: a Galera node outside the primary component (quorum lost) or not
 * yet synced answers every statement with errno 1047, "WSREP has not yet prepared node for application use";
 * a connection the server killed (a node leaving the cluster, an administrator) reports 1927.
 */
const ER_UNKNOWN_COM_ERROR = 1047;
const ER_CONNECTION_KILLED = 1927;

/** The database could not be reached, went away or will not serve: nothing was written, retry later. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  const e = driverErrorOf(error);
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  if (e.errno === ER_UNKNOWN_COM_ERROR || e.errno === ER_CONNECTION_KILLED) return true;
  return /connect ETIMEDOUT|Connection lost|Pool is closed|closed state|Can't add new command when connection is in closed state/i.test(
    e.message ?? '',
  );
}
