import { EndEventDto } from '../../src/journey/dto/journey-event.dto';
import { ServiceEntity } from '../../src/services/service.entity';
import { TaskStartEventDto } from '../../src/tasks/dto/task-start-event.dto';
import { TaskEntity } from '../../src/tasks/task.entity';
import { TasksService } from '../../src/tasks/tasks.service';
import { body, newService, newState, newTask, newTenant, reload } from '../support/journey-factory';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';

describe('TasksService on a real database', () => {
  let bed: JourneyTestbed;
  let tasks: TasksService;

  beforeAll(async () => {
    bed = await createJourneyTestbed();
    tasks = bed.get(TasksService);
  });

  afterAll(() => bed.close());

  const start = (tenant: { tenantId: string }, serviceId: number, plain: object) =>
    bed.inTransaction((m) =>
      tasks.start(m, tenant, serviceId, body(TaskStartEventDto, plain), Date.now()),
    );

  it('starts a task in an active service, or in an active state of it, recording the activity', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId, { lastActivityAt: 1 });
    const state = await newState(bed.dataSource, service);
    const own = await start(tenant, service.id, { task_type: 'Verify', Notes: { a: 1 } });
    const inState = await start(tenant, service.id, { task_type: 'Route', state_id: state.id });
    const stored = await bed.dataSource.manager.findBy(TaskEntity, { serviceId: service.id });
    expect(stored.map((t) => [t.id, t.stateId, t.stateScope, t.taskType])).toEqual([
      [own, null, 0, 'Verify'],
      [inState, state.id, state.id, 'Route'],
    ]);
    expect(stored[0].extensions).toEqual({ Notes: { a: 1 } });
    expect(stored.every((t) => t.activeMarker === null)).toBe(true);
    expect((await reload(bed.dataSource, ServiceEntity, service))?.lastActivityAt).toBeGreaterThan(
      1,
    );
  });

  it('starts in a completed service or state too, as Genesys does, but never in a foreign one', async () => {
    const tenant = newTenant();
    const done = await newService(bed.dataSource, tenant.tenantId, { completedAt: Date.now() });
    const completedState = await newState(bed.dataSource, done, { completedAt: Date.now() });
    const foreignState = await newState(
      bed.dataSource,
      await newService(bed.dataSource, tenant.tenantId),
    );
    await start(tenant, done.id, { task_type: 'Late' });
    await start(tenant, done.id, { task_type: 'Late', state_id: completedState.id });
    await expect(
      start(tenant, done.id, { task_type: 'T', state_id: foreignState.id }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(start(newTenant(), done.id, { task_type: 'T' })).rejects.toMatchObject({
      status: 404,
    });
    expect(await bed.dataSource.manager.countBy(TaskEntity, { serviceId: done.id })).toBe(2);
  });

  it('with LIFECYCLE=strict, refuses to start in a completed service or state', async () => {
    const strict = await createJourneyTestbed({ LIFECYCLE: 'strict' });
    try {
      const tenant = newTenant();
      const done = await newService(strict.dataSource, tenant.tenantId, {
        completedAt: Date.now(),
      });
      const service = await newService(strict.dataSource, tenant.tenantId);
      const completedState = await newState(strict.dataSource, service, {
        completedAt: Date.now(),
      });
      const startIn = (serviceId: number, plain: object) =>
        strict.inTransaction((m) =>
          strict
            .get(TasksService)
            .start(m, tenant, serviceId, body(TaskStartEventDto, plain), Date.now()),
        );
      await expect(startIn(done.id, { task_type: 'T' })).rejects.toMatchObject({ status: 409 });
      await expect(
        startIn(service.id, { task_type: 'T', state_id: completedState.id }),
      ).rejects.toMatchObject({ status: 409 });
      expect(await strict.dataSource.manager.countBy(TaskEntity, { serviceId: service.id })).toBe(
        0,
      );
    } finally {
      await strict.close();
    }
  });

  it('completes a task once, with its disposition and extensions, and records the activity', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId, { lastActivityAt: 1 });
    const task = await newTask(bed.dataSource, service, { extensions: { Kept: 1, Replaced: 1 } });
    const end = body(EndEventDto, {
      disposition: 'done',
      Replaced: 2,
      timestamp: '2030-01-01T00:00:00.000Z',
    });
    await bed.inTransaction((m) => tasks.complete(m, tenant, service.id, task.id, end, Date.now()));
    const stored = await reload(bed.dataSource, TaskEntity, task);
    expect(stored).toMatchObject({
      completedAt: Date.parse('2030-01-01T00:00:00.000Z'),
      disposition: 'done',
      extensions: { Kept: 1, Replaced: 2 },
    });
    expect((await reload(bed.dataSource, ServiceEntity, service))?.lastActivityAt).toBeGreaterThan(
      1,
    );
    await expect(
      bed.inTransaction((m) => tasks.complete(m, tenant, service.id, task.id, end, Date.now())),
    ).rejects.toMatchObject({ status: 409, message: `task ${task.id} is already completed` });
  });

  it('reaches a task only through its own service', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const other = await newService(bed.dataSource, tenant.tenantId);
    const task = await newTask(bed.dataSource, service);
    await expect(
      bed.inTransaction((m) => tasks.get(m, tenant, other.id, task.id, {})),
    ).rejects.toMatchObject({
      status: 404,
      message: `task ${task.id} is not a task of service ${other.id}`,
    });
    await expect(
      bed.inTransaction((m) =>
        tasks.changeExtension(
          m,
          tenant,
          other.id,
          task.id,
          { operation: 'replace', name: 'X', value: 1 },
          Date.now(),
        ),
      ),
    ).rejects.toMatchObject({ status: 404 });
    expect((await reload(bed.dataSource, TaskEntity, task))?.extensions).toBeNull();
  });

  it('replaces and merges extensions by the policy', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const task = await newTask(bed.dataSource, service, {
      extensions: { Form: { a: 1 }, List: [1] },
    });
    const change = (operation: 'replace' | 'merge', name: string, value: unknown) =>
      bed.inTransaction((m) =>
        tasks.changeExtension(
          m,
          tenant,
          service.id,
          task.id,
          { operation, name, value },
          Date.now(),
        ),
      );
    await change('merge', 'Form', { b: 2 });
    await change('replace', 'Note', 'x');
    await expect(change('merge', 'List', { c: 3 })).rejects.toMatchObject({ status: 400 });
    expect((await reload(bed.dataSource, TaskEntity, task))?.extensions).toEqual({
      Form: { a: 1, b: 2 },
      List: [1],
      Note: 'x',
    });
  });

  it('finds the latest active task of a type in its scope, else creates one', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const state = await newState(bed.dataSource, service);
    await newTask(bed.dataSource, service, { taskType: 'T', startedAt: 1000 });
    const latest = await newTask(bed.dataSource, service, { taskType: 'T', startedAt: 2000 });
    await newTask(bed.dataSource, service, { taskType: 'T', startedAt: 3000, completedAt: 4000 });
    const event = body(TaskStartEventDto, { task_type: 'T' });
    const find = (stateId: number | null) =>
      bed.inTransaction((m) =>
        tasks.findOrStart(m, tenant, service.id, stateId, event, Date.now()),
      );
    await expect(find(null)).resolves.toEqual({ id: latest.id, created: false });
    const inState = await find(state.id);
    expect(inState.created).toBe(true);
    await expect(find(state.id)).resolves.toEqual({ id: inState.id, created: false });
  });
});
