import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RetriesExhaustedError, RetryableTransactionError } from './database-errors';
import { EmbeddedStore } from './embedded-store';
import { TransactionRunner } from './transaction-runner';

const ATTEMPTS = 5;

const manager = {} as EntityManager;
const deadlock = { message: 'deadlock', driverError: { errno: 1213 } };
const lockWaitTimeout = { message: 'lock wait timeout', driverError: { errno: 1205 } };

function setup(type: 'mariadb' | 'sqljs') {
  // The fake runs `work` as TypeORM would: DataSource.transaction([isolationLevel,] work).
  const transaction = jest.fn((...args: unknown[]) =>
    (args.at(-1) as (m: EntityManager) => Promise<unknown>)(manager),
  );
  // Query runners of a two-connection pool, handed out in turn, recording what each is asked to do.
  const connections = [{}, {}];
  let acquired = 0;
  const log: string[] = [];
  const createQueryRunner = jest.fn(() => {
    const connection = connections[acquired++ % connections.length];
    const runner = {
      manager,
      isTransactionActive: false,
      connect: () => Promise.resolve(connection),
      query: (sql: string) => Promise.resolve(log.push(sql)),
      startTransaction: () =>
        Promise.resolve(log.push('START')).then(() => (runner.isTransactionActive = true)),
      commitTransaction: () => Promise.resolve(log.push('COMMIT')),
      rollbackTransaction: () => Promise.resolve(log.push('ROLLBACK')),
      release: () => Promise.resolve(log.push('release')),
    };
    return runner;
  });
  const dataSource = { options: { type }, transaction, createQueryRunner, manager };
  const store = { persist: jest.fn(() => Promise.resolve()) };
  const runner = new TransactionRunner(
    dataSource as unknown as DataSource,
    store as unknown as EmbeddedStore,
    { DB_RETRY_ATTEMPTS: ATTEMPTS, DB_RETRY_BUDGET_MS: 60_000 },
  );
  const retried = jest.fn();
  runner.onRetry(retried);
  return { runner, transaction, store, log, retried };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

describe('TransactionRunner on MySQL/MariaDB', () => {
  beforeEach(() => jest.useFakeTimers());

  /** Awaits `assertion` while the retry back-off timers fire at once. */
  async function withBackoff(assertion: Promise<void>): Promise<void> {
    await jest.runAllTimersAsync();
    await assertion;
  }

  it('sets READ COMMITTED once per connection, then only starts and commits', async () => {
    const { runner, store, log } = setup('mariadb');
    const work = jest.fn(() => Promise.resolve('done'));
    for (let i = 0; i < 3; i++) await expect(runner.transaction(work)).resolves.toBe('done');
    const setLevel = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';
    expect(log).toEqual([
      ...[setLevel, 'START', 'COMMIT', 'release'],
      ...[setLevel, 'START', 'COMMIT', 'release'],
      ...['START', 'COMMIT', 'release'],
    ]);
    expect(work).toHaveBeenCalledWith(manager, 1);
    expect(store.persist).not.toHaveBeenCalled();
  });

  it('rolls back and releases the connection when the work fails', async () => {
    const { runner, log } = setup('mariadb');
    const failure = new Error('boom');
    await expect(runner.transaction(() => Promise.reject(failure))).rejects.toBe(failure);
    expect(log.slice(1)).toEqual(['START', 'ROLLBACK', 'release']);
  });

  it('retries after a deadlock, a lock wait timeout and a conflict, counting each by reason', async () => {
    const { runner, retried } = setup('mariadb');
    const work = jest
      .fn()
      .mockRejectedValueOnce(deadlock)
      .mockRejectedValueOnce(lockWaitTimeout)
      .mockRejectedValueOnce(new RetryableTransactionError('service completed meanwhile'))
      .mockResolvedValue('done');
    await withBackoff(expect(runner.transaction(work)).resolves.toBe('done'));
    expect(work.mock.calls.map(([, attempt]) => attempt)).toEqual([1, 2, 3, 4]);
    expect(retried.mock.calls).toEqual([['deadlock'], ['lock_timeout'], ['conflict']]);
  });

  it(`gives up after DB_RETRY_ATTEMPTS (${ATTEMPTS}), saying why`, async () => {
    const { runner } = setup('mariadb');
    const work = jest.fn().mockRejectedValue(deadlock);
    await withBackoff(
      expect(runner.transaction(work)).rejects.toEqual(
        new RetriesExhaustedError('deadlock', ATTEMPTS),
      ),
    );
    expect(work).toHaveBeenCalledTimes(ATTEMPTS);
  });

  it.each([
    ['a duplicate key', { message: 'duplicate', driverError: { errno: 1062 } }],
    ['a plain Error', new Error('boom')],
  ])('does not retry %s', async (_, error) => {
    const { runner } = setup('mariadb');
    const work = jest.fn().mockRejectedValue(error);
    await withBackoff(expect(runner.transaction(work)).rejects.toBe(error));
    expect(work).toHaveBeenCalledTimes(1);
  });
});

describe('TransactionRunner on the embedded engine', () => {
  it('never lets two units of work overlap, and persists after each commit', async () => {
    const { runner, transaction, store } = setup('sqljs');
    const log: string[] = [];
    store.persist.mockImplementation(() => {
      log.push('persist');
      return Promise.resolve();
    });
    const firstMayEnd = deferred();
    const unit = (name: string, gate?: Promise<void>) => async () => {
      log.push(`${name} starts`);
      await gate;
      log.push(`${name} ends`);
      return name;
    };

    const first = runner.transaction(unit('first', firstMayEnd.promise));
    const second = runner.transaction(unit('second'));
    await settle();
    expect(log).toEqual(['first starts']);

    firstMayEnd.resolve();
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
    expect(log).toEqual([
      'first starts',
      'first ends',
      'persist',
      'second starts',
      'second ends',
      'persist',
    ]);
    expect(transaction).toHaveBeenCalledWith(expect.any(Function));
  });

  it('queues reads behind transactions too', async () => {
    const { runner } = setup('sqljs');
    const log: string[] = [];
    const writeMayEnd = deferred();
    const write = runner.transaction(async () => {
      await writeMayEnd.promise;
      log.push('write');
    });
    const read = runner.read(() => {
      log.push('read');
      return Promise.resolve();
    });
    await settle();
    expect(log).toEqual([]);

    writeMayEnd.resolve();
    await write;
    await read;
    expect(log).toEqual(['write', 'read']);
  });

  it('does not persist a failed transaction, and keeps serving the queue', async () => {
    const { runner, store } = setup('sqljs');
    const failure = new Error('boom');
    const failed = runner.transaction(() => Promise.reject(failure));
    const next = runner.transaction(() => Promise.resolve('next'));
    await expect(failed).rejects.toBe(failure);
    await expect(next).resolves.toBe('next');
    expect(store.persist).toHaveBeenCalledTimes(1);
  });
});
