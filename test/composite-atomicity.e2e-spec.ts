import request from 'supertest';
import { EntityManager, QueryFailedError } from 'typeorm';
import { NewTask, TasksRepository } from '../src/tasks/tasks.repository';
import { expectInternalError } from './support/resource-api';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';

const START = '/genesys/1/cs/services_composite/start';

/** A TasksRepository whose INSERT fails at the database for one task type, as a failing disk or trigger would. */
class FaultyTasksRepository extends TasksRepository {
  override insert(manager: EntityManager, task: NewTask): Promise<number> {
    if (task.taskType === 'Explode') {
      return Promise.reject(
        new QueryFailedError('INSERT INTO tasks …', [], new Error('Disk full writing tasks.ibd')),
      );
    }
    return super.insert(manager, task);
  }
}

const event = (taskType: string) => ({
  service: { customer_id: uniqueId(), service_type: 'Sales', Offer: { id: 1 } },
  state: { state_type: 'Identify' },
  task: { task_type: taskType },
});

describe('composite start is all or nothing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      override: (builder) =>
        builder.overrideProvider(TasksRepository).useClass(FaultyTasksRepository),
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('stores nothing of a batch whose last event fails at the database, and says nothing internal', async () => {
    const before = await rowCounts(t.dataSource);
    const response = await request(t.server)
      .post(START)
      .send({ services: [event('Verify'), event('Verify'), event('Explode')] });
    expectInternalError(response);
    expect(JSON.stringify(response.body)).not.toMatch(/INSERT|tasks\.ibd|Disk/);
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });

  it('still serves the next request normally', async () => {
    const before = await rowCounts(t.dataSource);
    await request(t.server)
      .post(START)
      .send({ services: [event('Verify')] })
      .expect(200);
    expect(await rowCounts(t.dataSource)).toEqual({
      services: before.services + 1,
      states: before.states + 1,
      tasks: before.tasks + 1,
    });
  });
});
