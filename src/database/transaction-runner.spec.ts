import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { EmbeddedStore } from './embedded-store';
import { MAX_TRANSACTION_ATTEMPTS, TransactionRunner, Work } from './transaction-runner';

const manager = {} as EntityManager;
const deadlock = { message: 'deadlock', driverError: { errno: 1213 } };
const lockWaitTimeout = { message: 'lock wait timeout', driverError: { errno: 1205 } };

function setup(type: 'mariadb' | 'sqljs') {
  // The fake runs `work` as TypeORM would: DataSource.transaction([isolationLevel,] work).
  const transaction = jest.fn((...args: unknown[]) => (args.at(-1) as Work<unknown>)(manager));
  const dataSource = { options: { type }, transaction, manager };
  const store = { persist: jest.fn(() => Promise.resolve()) };
  const metrics = { transactionRetried: jest.fn() };
  const runner = new TransactionRunner(
    dataSource as unknown as DataSource,
    store as unknown as EmbeddedStore,
    metrics as unknown as MetricsRecorder,
  );
  return { runner, transaction, store, metrics };
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

  it('runs the work at READ COMMITTED and returns its result', async () => {
    const { runner, transaction, store } = setup('mariadb');
    const work = jest.fn(() => Promise.resolve('done'));
    await expect(runner.transaction(work)).resolves.toBe('done');
    expect(transaction).toHaveBeenCalledWith('READ COMMITTED', work);
    expect(store.persist).not.toHaveBeenCalled();
  });

  it('retries after a deadlock and a lock wait timeout, counting each by reason, then succeeds', async () => {
    const { runner, transaction, metrics } = setup('mariadb');
    transaction.mockRejectedValueOnce(deadlock).mockRejectedValueOnce(lockWaitTimeout);
    await withBackoff(
      expect(runner.transaction(() => Promise.resolve('done'))).resolves.toBe('done'),
    );
    expect(transaction).toHaveBeenCalledTimes(3);
    expect(metrics.transactionRetried.mock.calls).toEqual([['deadlock'], ['lock_timeout']]);
  });

  it(`gives up after ${MAX_TRANSACTION_ATTEMPTS} attempts`, async () => {
    const { runner, transaction } = setup('mariadb');
    transaction.mockRejectedValue(deadlock);
    await withBackoff(
      expect(runner.transaction(() => Promise.resolve('done'))).rejects.toBe(deadlock),
    );
    expect(transaction).toHaveBeenCalledTimes(MAX_TRANSACTION_ATTEMPTS);
  });

  it.each([
    ['a duplicate key', { message: 'duplicate', driverError: { errno: 1062 } }],
    ['a plain Error', new Error('boom')],
  ])('does not retry %s', async (_, error) => {
    const { runner, transaction } = setup('mariadb');
    transaction.mockRejectedValueOnce(error);
    await withBackoff(
      expect(runner.transaction(() => Promise.resolve('done'))).rejects.toBe(error),
    );
    expect(transaction).toHaveBeenCalledTimes(1);
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
