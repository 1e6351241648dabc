import { QueryRunner } from 'typeorm';
import { useResourceApp } from './support/resource-api';
import { uniqueId } from './support/test-app';

const STATES = 200;
const TASKS_PER_STATE = 5;
const MAX_QUERIES = 5;

/**
 * Reading nested arrays must not cost a query per state or task (issue 3, §4.4): a service with 200 states
 * and 1000 tasks is read in a bounded number of SQL queries, counted at the driver's query runner.
 */
describe('nested reads run a bounded number of queries', () => {
  const { app, api } = useResourceApp();
  let customer: string;
  let service: number;

  beforeAll(async () => {
    customer = uniqueId('bulk');
    service = await api.startService({ customer_id: customer, Offer: { id: 1 } });
    // Rows written straight to the tables (API starts would take minutes), with the columns the migration
    // defines and epoch-millisecond times.
    const t0 = 1_767_225_600_000;
    const stateRows = Array.from(
      { length: STATES },
      (_, i) => `('default', ${service}, 'Bulk', ${t0 + i}, '{"StateSeq":${i}}')`,
    );
    await app().dataSource.query(
      `INSERT INTO states (tenant_id, service_id, state_type, started_at, extensions) VALUES ${stateRows.join(', ')}`,
    );
    const stateIds = (
      await app().dataSource.query<{ id: number | string }[]>(
        'SELECT id FROM states WHERE service_id = ? ORDER BY id',
        [service],
      )
    ).map((row) => Number(row.id));
    expect(stateIds).toHaveLength(STATES);
    const taskRows = stateIds.flatMap((stateId, s) =>
      Array.from(
        { length: TASKS_PER_STATE },
        (_, k) =>
          `('default', ${service}, ${stateId}, ${stateId}, 'Bulk', ${t0 + s * TASKS_PER_STATE + k}, '{"TaskSeq":${s * TASKS_PER_STATE + k}}')`,
      ),
    );
    await app().dataSource.query(
      `INSERT INTO tasks (tenant_id, service_id, state_id, state_scope, task_type, started_at, extensions) VALUES ${taskRows.join(', ')}`,
    );
  });

  /** The body of a GET, and how many SQL queries the application ran to answer it. */
  async function countedRead(path: string) {
    const probe: QueryRunner = app().dataSource.createQueryRunner();
    const runnerClass = Object.getPrototypeOf(probe) as QueryRunner;
    await probe.release();
    const spy = jest.spyOn(runnerClass, 'query');
    try {
      const body = await api.read(path);
      return { body, queries: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  }

  it('counts the queries of a read (the counter really counts)', async () => {
    const { queries } = await countedRead(`/services/${service}`);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(2);
  });

  it('reads a service with 200 active states and 1000 active tasks, with all extensions', async () => {
    const { body, queries } = await countedRead(
      `/services/${service}?active_states=true&active_tasks=true&extensions=*`,
    );
    expect(body.active_states).toHaveLength(STATES);
    expect(body.active_tasks).toHaveLength(STATES * TASKS_PER_STATE);
    expect(body.Offer).toEqual({ id: 1 });
    expect(body.active_states[STATES - 1]).toMatchObject({ StateSeq: STATES - 1 });
    expect(body.active_tasks[0]).toMatchObject({ TaskSeq: 0 });
    expect(body.active_tasks.map((task: { TaskSeq: number }) => task.TaskSeq)).toEqual(
      Array.from({ length: STATES * TASKS_PER_STATE }, (_, i) => i),
    );
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(MAX_QUERIES);
  });

  it("lists the service's 200 states, each with its 5 tasks", async () => {
    const { body, queries } = await countedRead(
      `/services/${service}/states?active_tasks=true&completed_tasks=true&extensions=*`,
    );
    expect(body).toHaveLength(STATES);
    for (const state of body) {
      expect(state.active_tasks).toHaveLength(TASKS_PER_STATE);
      expect(state.completed_tasks).toEqual([]);
    }
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(MAX_QUERIES);
  });

  it("lists the customer's services with their nested states and tasks", async () => {
    const { body, queries } = await countedRead(
      `/customers/${customer}/services?active_states=true&completed_states=true&active_tasks=true&completed_tasks=true&extensions=*`,
    );
    expect(body).toHaveLength(1);
    expect(body[0].active_states).toHaveLength(STATES);
    expect(body[0].active_tasks).toHaveLength(STATES * TASKS_PER_STATE);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(MAX_QUERIES);
  });

  it('lists 1000 tasks of the service', async () => {
    const { body, queries } = await countedRead(`/services/${service}/tasks/active?extensions=*`);
    expect(body).toHaveLength(STATES * TASKS_PER_STATE);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(MAX_QUERIES);
  });
});
