import request from 'supertest';
import { onServerDatabase } from './support/test-database';
import { createTestApp, TestApp, uniqueId } from './support/test-app';
import { API_BASE_PATH } from '../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

interface Result {
  service: { service_id: number; created: string };
  state: { state_id: number; created: string };
  task: { task_id: number; created: string };
}

const identicalEvent = () => ({
  service: { customer_id: uniqueId('race'), service_type: 'Sales' },
  state: { state_type: 'Queue' },
  task: { task_type: 'Route' },
  associate_state_task: true,
});

/** Fires all requests at once (each on its own connection) and returns their first results. */
async function race(servers: TestApp[], count: number, body: object): Promise<Result[]> {
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      request(servers[i % servers.length].server)
        .post(START)
        .send(body),
    ),
  );
  for (const response of responses) expect(response.status).toBe(200);
  return responses.map((r) => (r.body as { services: Result[] }).services[0]);
}

async function activeCount(
  t: TestApp,
  table: string,
  column: string,
  value: number | string,
): Promise<number> {
  const [row] = await t.dataSource.query<{ n: number | string }[]>(
    `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ? AND completed_at IS NULL`,
    [value],
  );
  return Number(row.n);
}

function expectOneWinner(results: Result[]): void {
  const [first] = results;
  for (const r of results) {
    expect(r.service.service_id).toBe(first.service.service_id);
    expect(r.state.state_id).toBe(first.state.state_id);
    expect(r.task.task_id).toBe(first.task.task_id);
  }
  for (const part of ['service', 'state', 'task'] as const) {
    expect(results.filter((r) => r[part].created === 'true')).toHaveLength(1);
  }
}

describe('composite start under concurrency', () => {
  const apps: TestApp[] = [];

  beforeAll(async () => {
    // On MariaDB/MySQL two application instances, each with its own connection pool, share the database.
    apps.push(await createTestApp());
    if (onServerDatabase) apps.push(await createTestApp());
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('32 identical requests at once make exactly one service, state and task', async () => {
    const body = { services: [identicalEvent()] };
    const results = await race(apps.slice(0, 1), 32, body);
    expectOneWinner(results);
    const { service_id } = results[0].service;
    expect(await activeCount(apps[0], 'services', 'id', service_id)).toBe(1);
    expect(await activeCount(apps[0], 'states', 'service_id', service_id)).toBe(1);
    expect(await activeCount(apps[0], 'tasks', 'service_id', service_id)).toBe(1);
  });

  (onServerDatabase ? it : it.skip)('the same holds across two application instances', async () => {
    const event = identicalEvent();
    const results = await race(apps, 48, { services: [event] });
    expectOneWinner(results);
    const [row] = await apps[0].dataSource.query<{ n: number | string }[]>(
      'SELECT COUNT(*) AS n FROM services WHERE customer_id = ? AND completed_at IS NULL',
      [event.service.customer_id],
    );
    expect(Number(row.n)).toBe(1);
  });

  it('overlapping batches in opposite orders all succeed and agree', async () => {
    const events = Array.from({ length: 6 }, identicalEvent);
    const forward = { services: events };
    const backward = { services: [...events].reverse() };
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        request(apps[i % apps.length].server)
          .post(START)
          .send(i % 2 === 0 ? forward : backward),
      ),
    );
    for (const response of responses) expect(response.status).toBe(200);
    const byCustomer = new Map<string, Set<number>>();
    responses.forEach((response, i) => {
      const order = i % 2 === 0 ? events : [...events].reverse();
      (response.body as { services: Result[] }).services.forEach((r, j) => {
        const customer = order[j].service.customer_id;
        byCustomer.set(customer, (byCustomer.get(customer) ?? new Set()).add(r.task.task_id));
      });
    });
    expect(byCustomer.size).toBe(6);
    for (const taskIds of byCustomer.values()) expect(taskIds.size).toBe(1);
  });
});
