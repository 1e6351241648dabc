import request from 'supertest';
import { EntityManager, QueryFailedError } from 'typeorm';
import { NewTask, TasksRepository } from '../src/tasks/tasks.repository';
import { expectInternalError } from './support/resource-api';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';
import { API_BASE_PATH } from '../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

const diskFull = () =>
  Promise.reject(
    new QueryFailedError('INSERT INTO tasks …', [], new Error('Disk full writing tasks.ibd')),
  );

/**
 * A TasksRepository whose INSERTs fail at the database when a task has one type, as a failing disk or
 * trigger would: single-row, and multi-row for a batch's new keys.
 */
class FaultyTasksRepository extends TasksRepository {
  override insert(manager: EntityManager, task: NewTask): Promise<number> {
    return task.taskType === 'Explode' ? diskFull() : super.insert(manager, task);
  }

  override insertMany(manager: EntityManager, tasks: NewTask[]): Promise<number[]> {
    return tasks.some((task) => task.taskType === 'Explode')
      ? diskFull()
      : super.insertMany(manager, tasks);
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
