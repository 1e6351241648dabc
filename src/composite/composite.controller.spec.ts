import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { appConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source.factory';
import { EmbeddedStore } from '../database/embedded-store';
import { TransactionRunner } from '../database/transaction-runner';
import { JourneyScope } from '../journey/journey-scope';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { ServiceEntity } from '../services/service.entity';
import { ServicesRepository } from '../services/services.repository';
import { ServicesService } from '../services/services.service';
import { StateEntity } from '../states/state.entity';
import { StatesRepository } from '../states/states.repository';
import { StatesService } from '../states/states.service';
import { TaskEntity } from '../tasks/task.entity';
import { TasksRepository } from '../tasks/tasks.repository';
import { TasksService } from '../tasks/tasks.service';
import { ExtensionsPolicy } from '../validation/extensions.policy';
import { CompositeController } from './composite.controller';
import { CompositeRepository } from './composite.repository';
import { CompositeStartRequestDto } from './dto/composite-start-request.dto';

const tenant = { tenantId: 'unit' };

function request(...customers: string[]): CompositeStartRequestDto {
  return {
    services: customers.map((customer) => ({
      service: { customer_id: customer, service_type: 'S' },
      state: { state_type: 'A' },
      task: { task_type: 'T' },
    })),
  };
}

const response = () => ({ setHeader: jest.fn() }) as unknown as Response & { setHeader: jest.Mock };

describe('CompositeController orchestration', () => {
  let dataSource: DataSource;
  let controller: CompositeController;
  let states: StatesService;
  let tasks: TasksService;
  let services: ServicesService;
  let metrics: { compositeStarted: jest.Mock };
  let retried: jest.Mock;
  let transactions: TransactionRunner;

  beforeEach(async () => {
    metrics = { compositeStarted: jest.fn() };
    dataSource = await new DataSource({
      ...dataSourceOptions({
        DATABASE_URL: 'sqlite::memory:',
        DB_POOL_SIZE: 1,
        MIGRATIONS_RUN: true,
      }),
      entities: [ServiceEntity, StateEntity, TaskEntity],
    }).initialize();
    const moduleRef = await Test.createTestingModule({
      controllers: [CompositeController],
      providers: [
        { provide: DataSource, useValue: dataSource },
        {
          provide: appConfig.KEY,
          useValue: {
            COMPOSITE_MAX_EVENTS: 10,
            EXTENSION_MAX_BYTES: 65536,
            EXTENSION_MAX_DEPTH: 16,
          },
        },
        { provide: MetricsRecorder, useValue: metrics },
        EmbeddedStore,
        TransactionRunner,
        ServicesRepository,
        ServicesService,
        StatesRepository,
        StatesService,
        TasksRepository,
        TasksService,
        CompositeRepository,
        JourneyScope,
        ExtensionsPolicy,
      ],
    }).compile();
    controller = moduleRef.get(CompositeController);
    states = moduleRef.get(StatesService);
    tasks = moduleRef.get(TasksService);
    services = moduleRef.get(ServicesService);
    transactions = moduleRef.get(TransactionRunner);
    retried = jest.fn();
    transactions.onRetry(retried);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await dataSource.destroy();
  });

  const count = async (table: string) =>
    Number((await dataSource.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('runs the three module services per event, then sets Location and records metrics after the commit', async () => {
    const res = response();
    const result = await controller.start(tenant, request('a', 'b'), res);
    expect(result.services.map((r) => r.service.created)).toEqual(['true', 'true']);
    expect(res.setHeader).toHaveBeenCalledWith(
      'Location',
      `/genesys/1/cs/services/${result.services[0].service.service_id}/tasks/${result.services[0].task!.task_id}`,
    );
    expect(await count('tasks')).toBe(2);
    expect(metrics.compositeStarted).toHaveBeenCalledWith(result.services);
  });

  it('rolls back every event of the request when a module service fails after earlier writes', async () => {
    jest.spyOn(tasks, 'startAllNew').mockRejectedValueOnce(new Error('task storage failed'));
    const res = response();
    await expect(controller.start(tenant, request('a', 'b'), res)).rejects.toThrow(
      'task storage failed',
    );
    expect(res.setHeader).not.toHaveBeenCalled();
    expect(metrics.compositeStarted).not.toHaveBeenCalled();
    expect([await count('services'), await count('states'), await count('tasks')]).toEqual([
      0, 0, 0,
    ]);
  });

  it('retries the whole request after a deadlock, keeping nothing of the failed attempt', async () => {
    const deadlock = Object.assign(new Error('Deadlock found'), { driverError: { errno: 1213 } });
    jest.spyOn(states, 'startAllNew').mockRejectedValueOnce(deadlock);
    // The retry looks everything up again, one event at a time.
    const again = jest.spyOn(states, 'findOrStart');
    const result = await controller.start(tenant, request('a'), response());
    expect(again).toHaveBeenCalledTimes(1);
    expect(retried).toHaveBeenCalledWith('deadlock');
    expect(metrics.compositeStarted).toHaveBeenCalledTimes(1);
    expect(result.services[0].service.created).toBe('true');
    expect(await count('services')).toBe(1);
  });

  it('answers from one lookup, without a transaction, when every object already exists', async () => {
    const first = await controller.start(tenant, request('a', 'b'), response());
    const transaction = jest.spyOn(transactions, 'transaction');
    const again = await controller.start(tenant, request('b', 'a'), response());
    expect(transaction).not.toHaveBeenCalled();
    expect(again.services).toEqual(
      [...first.services].reverse().map((r) => ({
        service: { ...r.service, created: 'false' },
        state: { ...r.state, created: 'false' },
        task: { ...r.task, created: 'false' },
      })),
    );
  });

  it('creates only what the lookup did not find, and later events see it', async () => {
    const first = await controller.start(tenant, request('a'), response());
    const body = request('a', 'a');
    body.services[1].state = { state_type: 'B' };
    body.services[1].associate_state_task = true;
    const result = await controller.start(tenant, body, response());
    expect(
      result.services.map((r) => [r.service.created, r.state.created, r.task!.created]),
    ).toEqual([
      ['false', 'false', 'false'],
      ['false', 'true', 'true'],
    ]);
    expect(result.services[1].service.service_id).toBe(first.services[0].service.service_id);
    expect(await count('states')).toBe(2);
  });

  it('does not retry a request that failed for another reason', async () => {
    const spy = jest.spyOn(states, 'startAllNew').mockRejectedValue(new Error('boom'));
    await expect(controller.start(tenant, request('a'), response())).rejects.toThrow('boom');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('creates the new keys of a batch level by level, one INSERT per table', async () => {
    const body = request('c', 'a', 'b');
    for (const event of body.services) event.associate_state_task = true;
    const query = jest.spyOn(EntityManager.prototype, 'query');
    const result = await controller.start(tenant, body, response());
    const inserts = query.mock.calls
      .map(([sql]) => /^INSERT INTO (\w+)/.exec(sql)?.[1])
      .filter((table) => table !== undefined);
    expect(inserts).toEqual(['services', 'states', 'tasks']);
    expect(
      result.services.map((r) => [r.service.created, r.state.created, r.task!.created]),
    ).toEqual([
      ['true', 'true', 'true'],
      ['true', 'true', 'true'],
      ['true', 'true', 'true'],
    ]);
    // Each event's state and task belong to its own service, whatever order the rows were inserted in.
    for (const { service, state, task } of result.services) {
      const [row] = await dataSource.query<{ service_id: number; state_id: number }[]>(
        'SELECT service_id, state_id FROM tasks WHERE id = ?',
        [task!.task_id],
      );
      expect(row).toEqual({ service_id: service.service_id, state_id: state.state_id });
    }
  });

  it('falls back to one event at a time when a concurrent request created one of the services first', async () => {
    const startAllNew = services.startAllNew.bind(services);
    jest.spyOn(services, 'startAllNew').mockImplementationOnce(async (manager, ...rest) => {
      // The race is lost between the lookup and the INSERT: 'b' exists by the time the batch inserts it.
      await services.findOrStart(manager, tenant, request('b').services[0].service, Date.now());
      return startAllNew(manager, ...rest);
    });
    const result = await controller.start(tenant, request('a', 'b'), response());
    expect(
      result.services.map((r) => [r.service.created, r.state.created, r.task!.created]),
    ).toEqual([
      ['true', 'true', 'true'],
      ['false', 'true', 'true'],
    ]);
    expect([await count('services'), await count('states'), await count('tasks')]).toEqual([
      2, 2, 2,
    ]);
  });
});
