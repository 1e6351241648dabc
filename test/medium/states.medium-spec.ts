import { EndEventDto } from '../../src/journey/dto/journey-event.dto';
import { StateStartEventDto } from '../../src/states/dto/state-start-event.dto';
import { StateTransitionDto } from '../../src/states/dto/state-transition.dto';
import { StateEntity } from '../../src/states/state.entity';
import { StatesService } from '../../src/states/states.service';
import { TaskEntity } from '../../src/tasks/task.entity';
import { body, newService, newState, newTask, newTenant, reload } from '../support/journey-factory';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';

describe('StatesService on a real database', () => {
  let bed: JourneyTestbed;
  let states: StatesService;

  beforeAll(async () => {
    bed = await createJourneyTestbed();
    states = bed.get(StatesService);
  });

  afterAll(() => bed.close());

  it('completes a state with its active tasks, not the tasks of other states', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const state = await newState(bed.dataSource, service);
    const sibling = await newState(bed.dataSource, service);
    const inState = await newTask(bed.dataSource, service, { stateId: state.id });
    const doneEarlier = await newTask(bed.dataSource, service, {
      stateId: state.id,
      completedAt: 5,
    });
    const inSibling = await newTask(bed.dataSource, service, { stateId: sibling.id });
    const own = await newTask(bed.dataSource, service);
    const end = body(EndEventDto, { disposition: 'ok', media_type: 'voice' });
    const now = Date.now();
    await bed.inTransaction((m) => states.complete(m, tenant, service.id, state.id, end, now));

    expect(await reload(bed.dataSource, StateEntity, state)).toMatchObject({
      completedAt: now,
      disposition: 'ok',
    });
    // The cascade carries the moment and the event, not the state's own disposition.
    expect(await reload(bed.dataSource, TaskEntity, inState)).toMatchObject({
      completedAt: now,
      disposition: null,
      completed: expect.objectContaining({ mediaType: 'voice' }),
    });
    expect((await reload(bed.dataSource, TaskEntity, doneEarlier))?.completedAt).toBe(5);
    for (const untouched of [inSibling, own]) {
      expect((await reload(bed.dataSource, TaskEntity, untouched))?.completedAt).toBeNull();
    }
  });

  it('transitions: completes from (with its tasks) and starts to after it, in one unit of work', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const from = await newState(bed.dataSource, service);
    const task = await newTask(bed.dataSource, service, { stateId: from.id });
    const transition = body(StateTransitionDto, {
      from: { state_id: from.id, disposition: 'identified' },
      to: { state_type: 'Queue', est_duration: 30 },
      interaction_id: 'I-1',
      Context: { lang: 'fr' },
    });
    const next = await bed.inTransaction((m) =>
      states.transition(m, tenant, service.id, transition, Date.now()),
    );
    expect(await reload(bed.dataSource, StateEntity, from)).toMatchObject({
      disposition: 'identified',
      completed: expect.objectContaining({ interactionId: 'I-1' }),
      extensions: null,
    });
    expect((await reload(bed.dataSource, TaskEntity, task))?.completedAt).not.toBeNull();
    const started = await bed.dataSource.manager.findOneByOrFail(StateEntity, { id: next });
    expect(started).toMatchObject({
      stateType: 'Queue',
      previousStateId: from.id,
      estDuration: 30,
      completedAt: null,
      started: expect.objectContaining({ interactionId: 'I-1' }),
      extensions: { Context: { lang: 'fr' } },
    });
  });

  it('leaves nothing behind when a transition fails', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const from = await newState(bed.dataSource, service, { completedAt: 1 });
    const transition = body(StateTransitionDto, {
      from: { state_id: from.id },
      to: { state_type: 'Queue' },
    });
    await expect(
      bed.inTransaction((m) => states.transition(m, tenant, service.id, transition, Date.now())),
    ).rejects.toMatchObject({ status: 409 });
    expect(await bed.dataSource.manager.countBy(StateEntity, { serviceId: service.id })).toBe(1);
  });

  it('checks previous_state_id against the same service', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const other = await newService(bed.dataSource, tenant.tenantId);
    const foreign = await newState(bed.dataSource, other);
    const start = (previous: number) =>
      bed.inTransaction((m) =>
        states.start(
          m,
          tenant,
          service.id,
          body(StateStartEventDto, { state_type: 'B', previous_state_id: previous }),
          Date.now(),
        ),
      );
    await expect(start(foreign.id)).rejects.toMatchObject({ status: 404 });
    const first = await newState(bed.dataSource, service);
    const id = await start(first.id);
    expect(
      (await bed.dataSource.manager.findOneByOrFail(StateEntity, { id })).previousStateId,
    ).toBe(first.id);
  });

  it('reads states with the nested tasks the query asks for', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const state = await newState(bed.dataSource, service, { extensions: { A: 1 } });
    const active = await newTask(bed.dataSource, service, { stateId: state.id });
    await newTask(bed.dataSource, service, { stateId: state.id, completedAt: Date.now() });
    const [read] = await bed.transactions.read((m) =>
      states.list(m, tenant, service.id, 'active', { active_tasks: true, extensions: 'A' }),
    );
    expect(read).toMatchObject({ state_id: state.id, service_id: service.id, A: 1 });
    expect(read.active_tasks?.map((t) => t.task_id)).toEqual([active.id]);
    expect(read).not.toHaveProperty('completed_tasks');
  });
});
