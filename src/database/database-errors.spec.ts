import {
  isDatabaseUnavailableError,
  isDuplicateKeyError,
  transientReasonOf,
} from './database-errors';

/** A mysql2 error: an Error carrying `errno` and `code`. */
function mysqlError(errno: number, code: string): Error {
  return Object.assign(new Error(code), { errno, code });
}

/** How TypeORM's QueryFailedError carries the driver's error. */
const wrapped = (driverError: unknown) => ({ message: 'query failed', driverError });

describe('isDuplicateKeyError', () => {
  it.each<[string, unknown, boolean]>([
    ['a mysql2 ER_DUP_ENTRY', mysqlError(1062, 'ER_DUP_ENTRY'), true],
    ['an ER_DUP_ENTRY wrapped in driverError', wrapped({ errno: 1062 }), true],
    ['a sql.js unique violation', new Error('UNIQUE constraint failed: service.key'), true],
    ['a wrapped sql.js unique violation', wrapped(new Error('UNIQUE constraint failed: x')), true],
    ['a deadlock', mysqlError(1213, 'ER_LOCK_DEADLOCK'), false],
    ['a plain error', new Error('boom'), false],
    ['a thrown string', 'UNIQUE constraint failed', false],
    ['null', null, false],
  ])('%s → %s', (_, error, expected) => {
    expect(isDuplicateKeyError(error)).toBe(expected);
  });
});

describe('transientReasonOf', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a deadlock (1213)', mysqlError(1213, 'ER_LOCK_DEADLOCK'), 'deadlock'],
    ['a lock wait timeout (1205)', mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT'), 'lock_timeout'],
    ['a deadlock wrapped in driverError', wrapped({ errno: 1213 }), 'deadlock'],
    ['a duplicate key', wrapped({ errno: 1062 }), undefined],
    ['a plain error', new Error('deadlock'), undefined],
    ['undefined', undefined, undefined],
  ])('%s → %s', (_, error, expected) => {
    expect(transientReasonOf(error)).toBe(expected);
  });
});

describe('isDatabaseUnavailableError', () => {
  it.each<[string, unknown, boolean]>([
    ['ECONNREFUSED', mysqlError(-111, 'ECONNREFUSED'), true],
    ['PROTOCOL_CONNECTION_LOST', { code: 'PROTOCOL_CONNECTION_LOST', message: 'lost' }, true],
    ['ECONNRESET wrapped in driverError', wrapped({ code: 'ECONNRESET' }), true],
    ['a closed pool', new Error('Pool is closed.'), true],
    [
      'a closed connection',
      new Error("Can't add new command when connection is in closed state"),
      true,
    ],
    ['a Galera node without quorum (1047)', mysqlError(1047, 'ER_UNKNOWN_COM_ERROR'), true],
    ['a connection the server killed', mysqlError(1927, 'ER_CONNECTION_KILLED'), true],
    ['a duplicate key', mysqlError(1062, 'ER_DUP_ENTRY'), false],
    ['a plain error', new Error('boom'), false],
    ['null', null, false],
  ])('%s → %s', (_, error, expected) => {
    expect(isDatabaseUnavailableError(error)).toBe(expected);
  });
});
