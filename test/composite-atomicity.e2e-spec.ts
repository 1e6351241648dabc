import request from 'supertest';
import { EntityManager, QueryFailedError } from 'typeorm';
import { CompositeRepository, FreshJourney } from '../src/composite/composite.repository';
import { NewTask, TasksRepository } from '../src/tasks/tasks.repository';
import { expectInternalError } from './support/resource-api';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';
import { API_BASE_PATH } from '../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

const diskFull = () =>
  Promise.reject(
    new QueryFailedError('INSERT INTO tasks …', [], new Error('Disk full writing tasks.ibd')),
  );

/** Whether a statement writes a task of the failing type. */
const writesExplodingTask = (sql: string, parameters?: unknown[]) =>
  /^(INSERT INTO tasks|CALL )/.test(sql) && (parameters ?? []).includes('Explode');

/**
 * A TasksRepository whose INSERTs fail at the database when a task has one type, as a failing disk or
 * trigger would; and the composite repository's multi-row writes of all-new journeys likewise.
 */
class FaultyTasksRepository extends TasksRepository {
  override insert(manager: EntityManager, task: NewTask): Promise<number> {
    return task.taskType === 'Explode' ? diskFull() : super.insert(manager, task);
  }
}

class FaultyCompositeRepository extends CompositeRepository {
  override insertFresh(manager: EntityManager, journeys: FreshJourney[]) {
    const faulty = Object.create(manager) as EntityManager;
    faulty.query = (sql: string, parameters?: unknown[]) =>
      writesExplodingTask(sql, parameters) ? diskFull() : manager.query(sql, parameters);
    return super.insertFresh(faulty, journeys);
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
        builder
          .overrideProvider(TasksRepository)
          .useClass(FaultyTasksRepository)
          .overrideProvider(CompositeRepository)
          .useClass(FaultyCompositeRepository),
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
