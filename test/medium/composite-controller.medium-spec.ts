import type { FastifyReply } from 'fastify';
import { EntityManager, Logger as QueryLogger } from 'typeorm';
import { CompositeController } from '../../src/composite/composite.controller';
import {
  CompositeRepository,
  ROUTINE_ARGUMENTS,
  ROUTINE_SETS,
} from '../../src/composite/composite.repository';
import { CompositeStartRequestDto } from '../../src/composite/dto/composite-start-request.dto';
import { MetricsRecorder } from '../../src/metrics/metrics-recorder';
import { ServicesService } from '../../src/services/services.service';
import { StatesService } from '../../src/states/states.service';
import { TasksService } from '../../src/tasks/tasks.service';
import { body, newTenant } from '../support/journey-factory';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';
import { TEST_DATABASE_URL } from '../support/test-database';

function request(...customers: string[]): CompositeStartRequestDto {
  return body(CompositeStartRequestDto, {
    services: customers.map((customer) => ({
      service: { customer_id: customer, service_type: 'S' },
      state: { state_type: 'A' },
      task: { task_type: 'T' },
    })),
  });
}

const response = () => ({ header: jest.fn() }) as unknown as FastifyReply & { header: jest.Mock };

describe('CompositeController orchestration on a real database', () => {
  let bed: JourneyTestbed;
  let controller: CompositeController;
  let states: StatesService;
  let tasks: TasksService;
  let services: ServicesService;
  let composite: CompositeRepository;
  let metrics: { compositeStarted: jest.Mock };
  let retried: jest.Mock;
  let tenant: { tenantId: string };

  beforeAll(async () => {
    metrics = { compositeStarted: jest.fn() };
    bed = await createJourneyTestbed(
      { COMPOSITE_MAX_EVENTS: 10 },
      {
        controllers: [CompositeController],
        providers: [{ provide: MetricsRecorder, useValue: metrics }],
      },
    );
    controller = bed.get(CompositeController);
    states = bed.get(StatesService);
    tasks = bed.get(TasksService);
    services = bed.get(ServicesService);
    composite = bed.get(CompositeRepository);
    retried = jest.fn();
    bed.transactions.onRetry(retried);
  });

  beforeEach(() => {
    tenant = newTenant();
    metrics.compositeStarted.mockClear();
    retried.mockClear();
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(() => bed.close());

  /** The tenant's rows in services, states and tasks. */
  const counts = async () => {
    const [row] = await bed.dataSource.query<Record<string, number | string>[]>(
      'SELECT (SELECT COUNT(*) FROM services WHERE tenant_id = ?) AS services, ' +
        '(SELECT COUNT(*) FROM states WHERE tenant_id = ?) AS states, ' +
        '(SELECT COUNT(*) FROM tasks WHERE tenant_id = ?) AS tasks',
      [tenant.tenantId, tenant.tenantId, tenant.tenantId],
    );
    return [row.services, row.states, row.tasks].map(Number);
  };

  /** The write of all-new events: the composite routine (one event on MariaDB) or three INSERTs. */
  const singleFreshWrite = (): jest.SpyInstance => jest.spyOn(composite, 'insertFresh');

  /** Makes every statement matching `pattern` fail with `error`, the others run as usual. */
  const failing = (pattern: RegExp, error: Error) => {
    const query = EntityManager.prototype.query;
    return jest.spyOn(EntityManager.prototype, 'query').mockImplementation(function (
      this: EntityManager,
      sql: string,
      parameters?: unknown[] | object,
    ) {
      return pattern.test(sql) ? Promise.reject(error) : query.call(this, sql, parameters);
    });
  };

  it('runs the three module services per event, then sets Location and records metrics after the commit', async () => {
    const res = response();
    const result = await controller.start(tenant, request('a', 'b'), res);
    expect(result.services.map((r) => r.service.created)).toEqual(['true', 'true']);
    expect(res.header).toHaveBeenCalledWith(
      'Location',
      `/genesys/1/cs/services/${result.services[0].service.service_id}/tasks/${result.services[0].task!.task_id}`,
    );
    expect(await counts()).toEqual([2, 2, 2]);
    expect(metrics.compositeStarted).toHaveBeenCalledWith(result.services);
  });

  it('rolls back every event of the request when a module service fails after earlier writes', async () => {
    failing(/^INSERT INTO tasks/, new Error('task storage failed'));
    const res = response();
    await expect(controller.start(tenant, request('a', 'b'), res)).rejects.toThrow(
      'task storage failed',
    );
    expect(res.header).not.toHaveBeenCalled();
    expect(metrics.compositeStarted).not.toHaveBeenCalled();
    expect(await counts()).toEqual([0, 0, 0]);
  });

  it('retries the whole request after a deadlock, keeping nothing of the failed attempt', async () => {
    const deadlock = Object.assign(new Error('Deadlock found'), { driverError: { errno: 1213 } });
    singleFreshWrite().mockRejectedValueOnce(deadlock);
    // The retry looks everything up again, one event at a time.
    const again = jest.spyOn(states, 'findOrStart');
    const result = await controller.start(tenant, request('a'), response());
    expect(again).toHaveBeenCalledTimes(1);
    expect(retried).toHaveBeenCalledWith('deadlock');
    expect(metrics.compositeStarted).toHaveBeenCalledTimes(1);
    expect(result.services[0].service.created).toBe('true');
    expect(await counts()).toEqual([1, 1, 1]);
  });

  it('answers from one lookup, without a transaction, when every object already exists', async () => {
    const first = await controller.start(tenant, request('a', 'b'), response());
    const transaction = jest.spyOn(bed.transactions, 'transaction');
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
    const next = request('a', 'a');
    next.services[1].state.state_type = 'B';
    next.services[1].associate_state_task = true;
    const result = await controller.start(tenant, next, response());
    expect(
      result.services.map((r) => [r.service.created, r.state.created, r.task!.created]),
    ).toEqual([
      ['false', 'false', 'false'],
      ['false', 'true', 'true'],
    ]);
    expect(result.services[1].service.service_id).toBe(first.services[0].service.service_id);
    expect(await counts()).toEqual([1, 2, 2]);
  });

  it('does not retry a request that failed for another reason', async () => {
    const spy = singleFreshWrite().mockRejectedValue(new Error('boom'));
    await expect(controller.start(tenant, request('a'), response())).rejects.toThrow('boom');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('creates the new keys of a batch level by level, one INSERT per table', async () => {
    const batch = request('c', 'a', 'b');
    for (const event of batch.services) event.associate_state_task = true;
    const query = jest.spyOn(EntityManager.prototype, 'query');
    const result = await controller.start(tenant, batch, response());
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
      const [row] = await bed.dataSource.query<{ service_id: number; state_id: number }[]>(
        'SELECT service_id, state_id FROM tasks WHERE id = ?',
        [task!.task_id],
      );
      expect([Number(row.service_id), Number(row.state_id)]).toEqual([
        service.service_id,
        state.state_id,
      ]);
    }
  });

  it('falls back to one event at a time when a concurrent request created one of the services first', async () => {
    const insertFresh = composite.insertFresh.bind(composite);
    jest.spyOn(composite, 'insertFresh').mockImplementationOnce(async (manager, journeys) => {
      // The race is lost between the lookup and the INSERT: 'b' exists by the time the batch inserts it.
      await services.findOrStart(manager, tenant, request('b').services[0].service, Date.now());
      return insertFresh(manager, journeys);
    });
    const result = await controller.start(tenant, request('a', 'b'), response());
    expect(
      result.services.map((r) => [r.service.created, r.state.created, r.task!.created]),
    ).toEqual([
      ['true', 'true', 'true'],
      ['false', 'true', 'true'],
    ]);
    expect(await counts()).toEqual([2, 2, 2]);
  });

  (TEST_DATABASE_URL?.startsWith('mariadb') ? it : it.skip)(
    'inserts a single all-new event in one call, and falls back when a concurrent request created its service first',
    async () => {
      const insertFresh = composite.insertFresh.bind(composite);
      const call = jest.spyOn(composite, 'insertFresh');
      const query = jest.spyOn(EntityManager.prototype, 'query');
      const associated = request('a');
      associated.services[0].associate_state_task = true;
      const first = await controller.start(tenant, associated, response());
      expect(call).toHaveBeenCalledTimes(1);
      const writes = query.mock.calls
        .map(([sql]) => sql)
        .filter((sql) => /^(INSERT|CALL)/.test(sql));
      expect(writes).toEqual([expect.stringMatching(/^CALL composite_start_fresh\(/)]);
      query.mockRestore();
      expect(await counts()).toEqual([1, 1, 1]);
      // Each row in its place: the task in the state, both in the service.
      const [task] = await bed.dataSource.query<{ service_id: number; state_id: number }[]>(
        'SELECT service_id, state_id FROM tasks WHERE id = ?',
        [first.services[0].task!.task_id],
      );
      expect([Number(task.service_id), Number(task.state_id)]).toEqual([
        first.services[0].service.service_id,
        first.services[0].state.state_id,
      ]);
      call.mockImplementationOnce(async (manager, journeys) => {
        // The race is lost between the lookup and the call: 'b' exists by the time the routine inserts it.
        await services.findOrStart(manager, tenant, request('b').services[0].service, Date.now());
        return insertFresh(manager, journeys);
      });
      const raced = await controller.start(tenant, request('b'), response());
      expect(
        raced.services.map((r) => [r.service.created, r.state.created, r.task!.created]),
      ).toEqual([['false', 'true', 'true']]);
      expect(await counts()).toEqual([2, 2, 2]);
    },
  );

  (TEST_DATABASE_URL?.startsWith('mariadb') ? it : it.skip)(
    "passes the routine the arguments its migration declared, in the routine's order",
    async () => {
      const declared = await bed.dataSource.query<{ name: string }[]>(
        'SELECT PARAMETER_NAME AS name FROM information_schema.PARAMETERS ' +
          "WHERE SPECIFIC_SCHEMA = DATABASE() AND SPECIFIC_NAME = 'composite_start_fresh' " +
          'ORDER BY ORDINAL_POSITION',
      );
      expect(declared.map((p) => p.name)).toEqual([
        ...ROUTINE_ARGUMENTS.service.map((column) => `s_${column}`),
        ...ROUTINE_ARGUMENTS.state.map((column) => `t_${column}`),
        ...ROUTINE_ARGUMENTS.task.map((column) => `k_${column}`),
        'k_in_state',
      ]);
    },
  );

  it("gives the routine every column the modules' composite rows set, less those it sets itself", () => {
    const maximal = body(CompositeStartRequestDto, {
      services: [
        {
          service: {
            customer_id: 'c',
            service_type: 'S',
            contact_key: 'k',
            session_id: 's',
            interaction_id: 'i',
            application_type: 'a',
            application_id: 1,
            resource_type: 'r',
            resource_id: 2,
            media_type: 'voice',
            timestamp: '2026-01-01T00:00:00.000Z',
            disposition: 'd',
            disposition_desc: 'dd',
            est_duration: 3,
            ttl: 60,
            auto_complete_after: 60,
            Offer: { a: 1 },
          },
          state: {
            state_type: 'A',
            est_duration: 3,
            disposition: 'd',
            disposition_desc: 'dd',
            F: 1,
          },
          task: { task_type: 'T', est_duration: 3, disposition: 'd', disposition_desc: 'dd', G: 1 },
        },
      ],
    }).services[0];
    const now = Date.now();
    const rows = {
      service: services.compositeRow(tenant, maximal.service, now),
      state: states.compositeRow(tenant, maximal.state, now)(11),
      task: tasks.compositeRow(tenant, maximal.task!, now)(11, 22),
    };
    for (const level of ['service', 'state', 'task'] as const) {
      const table = { service: 'services', state: 'states', task: 'tasks' }[level];
      const set = bed.dataSource
        .getMetadata(table)
        .columns.filter((column) => column.getEntityValue(rows[level]) !== undefined)
        .map((column) => column.databaseName)
        .sort();
      expect({ level, set }).toEqual({
        level,
        set: [...ROUTINE_ARGUMENTS[level], ...ROUTINE_SETS[level]].sort(),
      });
    }
    // What the routine sets, as the rows set it: active, the parents, the task's scope.
    expect(rows.service.activeMarker).toBe(1);
    expect(rows.state).toMatchObject({ activeMarker: 1, serviceId: 11, previousStateId: null });
    expect(rows.task).toMatchObject({
      activeMarker: 1,
      serviceId: 11,
      stateId: 22,
      stateScope: 22,
    });
    expect(tasks.compositeRow(tenant, maximal.task!, now)(11, null)).toMatchObject({
      stateId: null,
      stateScope: 0,
    });
  });

  /**
   * The statements of composite start's hot path, as the database receives them, for the three shapes of a
   * journey step: a new caller, a known caller at a new step, a known caller at a known step. A change to
   * this SQL, or one more round trip, shows in review as a change of the snapshot.
   */
  describe('hot-path SQL', () => {
    async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
      const logged: string[] = [];
      const original = bed.dataSource.logger;
      const capture: QueryLogger = {
        // The embedded engine logs some values inline: those are not the statement's shape.
        logQuery: (sql) => void logged.push(sql.replace(/\s+/g, ' ').replace(/(= )\d+/g, '$1<n>')),
        logQueryError: () => undefined,
        logQuerySlow: () => undefined,
        logSchemaBuild: () => undefined,
        logMigration: () => undefined,
        log: () => undefined,
      };
      Object.assign(bed.dataSource, { logger: capture });
      try {
        await work();
      } finally {
        Object.assign(bed.dataSource, { logger: original });
      }
      // Setting the session's isolation level happens once per pooled connection, not per request.
      return logged.filter((sql) => !sql.startsWith('SET SESSION TRANSACTION'));
    }

    const event = (stateType: string) =>
      body(CompositeStartRequestDto, {
        services: [
          {
            service: { customer_id: 'hot', service_type: 'S' },
            state: { state_type: stateType, Notes: { a: 1 } },
            task: { task_type: 'T' },
            associate_state_task: true,
          },
        ],
      });

    // One snapshot per engine the CI runs; both tests exist in every run (one skipped), so that neither
    // snapshot is ever obsolete.
    const engine = TEST_DATABASE_URL?.split(':')[0] ?? 'embedded';
    for (const snapshotted of ['embedded', 'mariadb']) {
      (snapshotted === engine ? it : it.skip)(
        `stays the same statements on ${snapshotted}`,
        async () => {
          const statements = {
            newCaller: await statementsOf(() => controller.start(tenant, event('A'), response())),
            knownCallerNewStep: await statementsOf(() =>
              controller.start(tenant, event('B'), response()),
            ),
            knownCallerKnownStep: await statementsOf(() =>
              controller.start(tenant, event('B'), response()),
            ),
          };
          expect(statements).toMatchSnapshot();
        },
      );
    }
  });
});
