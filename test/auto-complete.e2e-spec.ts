import request from 'supertest';
import { SweeperService } from '../src/maintenance/sweeper.service';
import { API } from './support/api-routes';
import { onServerDatabase } from './support/test-database';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type AppName = 'plain' | 'defaults';

interface Journey {
  tenant: Record<string, string>;
  serviceId: number;
  stateId: number;
  /** A task of the state, and one of the service itself. */
  taskIds: number[];
  /** A task completed before the service went idle. */
  doneTaskId: number;
  doneAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

type Row = { id: number | string; completed_at: number | string | null };
const completedAt = (rows: Row[]) =>
  Object.fromEntries(
    rows.map((r) => [Number(r.id), r.completed_at === null ? null : Number(r.completed_at)]),
  );

describe('auto-complete', () => {
  const apps = {} as Record<AppName, TestApp>;

  beforeAll(async () => {
    apps.plain = await createTestApp({ env: { SWEEP_INTERVAL: '0' } });
    apps.defaults = await createTestApp({
      env: { SWEEP_INTERVAL: '0', AUTO_COMPLETE_AFTER: '1h' },
    });
  });

  afterAll(async () => {
    for (const t of Object.values(apps)) await t.close();
  });

  const sweep = (t: TestApp) => t.app.get(SweeperService).sweep();

  const idle = (t: TestApp, ids: number[], ms: number) =>
    t.dataSource.query(
      `UPDATE services SET last_activity_at = ? WHERE id IN (${ids.map(() => '?').join(',')})`,
      [Date.now() - ms, ...ids],
    );

  async function journey(t: TestApp, fields: object): Promise<Journey> {
    const tenant = { ContactCenterId: uniqueId('tenant') };
    const post = (path: string, body: object, status: number) =>
      request(t.server).post(`${API}${path}`).set(tenant).send(body).expect(status);
    // Started an hour ago, so that the task below may start and end minutes ago (time runs forwards).
    const event = (task: string, associate: boolean) => ({
      service: {
        customer_id: uniqueId('cust'),
        service_type: 'Sales',
        timestamp: iso(Date.now() - 60 * MINUTE),
        ...fields,
      },
      state: { state_type: 'Identify' },
      task: { task_type: task },
      associate_state_task: associate,
    });
    const first = event('Verify', true);
    const response = await post(
      '/services_composite/start',
      {
        services: [first, { ...event('Notify', false), service: first.service }],
      },
      200,
    );
    const [a, b] = response.body.services;
    const s = `/services/${a.service.service_id}`;
    const doneAt = Date.now() - 5 * MINUTE;
    const done = await post(
      `${s}/tasks/start`,
      { task_type: 'Survey', timestamp: iso(doneAt - MINUTE) },
      201,
    );
    await post(`${s}/tasks/${done.body.task_id}/end`, { timestamp: iso(doneAt) }, 204);
    return {
      tenant,
      serviceId: a.service.service_id,
      stateId: a.state.state_id,
      taskIds: [a.task.task_id, b.task.task_id],
      doneTaskId: done.body.task_id,
      doneAt,
    };
  }

  async function completion(t: TestApp, j: Journey) {
    const query = (table: string, column: string) =>
      t.dataSource.query<Row[]>(`SELECT id, completed_at FROM ${table} WHERE ${column} = ?`, [
        j.serviceId,
      ]);
    const [service] = await query('services', 'id');
    return {
      service: service.completed_at === null ? null : Number(service.completed_at),
      states: completedAt(await query('states', 'service_id')),
      tasks: completedAt(await query('tasks', 'service_id')),
    };
  }

  it.each<[string, AppName, object, number]>([
    ['its own auto_complete_after', 'plain', { auto_complete_after: 60 }, 61_000],
    ['the AUTO_COMPLETE_AFTER default', 'defaults', {}, HOUR + MINUTE],
    [
      'its own auto_complete_after, shorter than the default',
      'defaults',
      { auto_complete_after: 60 },
      61_000,
    ],
  ])(
    'completes a service idle past %s, with its active states and tasks',
    async (_name, app, fields, idleMs) => {
      const t = apps[app];
      const j = await journey(t, fields);
      await idle(t, [j.serviceId], idleMs);
      expect((await sweep(t)).autoCompleted).toBeGreaterThanOrEqual(1);

      const after = await completion(t, j);
      expect(after.service).toEqual(expect.any(Number));
      expect(after.states).toEqual({ [j.stateId]: after.service });
      expect(after.tasks).toEqual({
        [j.taskIds[0]]: after.service,
        [j.taskIds[1]]: after.service,
        [j.doneTaskId]: j.doneAt,
      });
      const read = await request(t.server)
        .get(`${API}/services/${j.serviceId}`)
        .set(j.tenant)
        .expect(200);
      expect(read.body.completed).toEqual({ timestamp: iso(after.service!) });
      expect(await sweep(t)).toMatchObject({ autoCompleted: 0 });
    },
  );

  it.each<[string, AppName, object, number, ((t: TestApp, j: Journey) => Promise<unknown>)?]>([
    ['idle less than its auto_complete_after', 'plain', { auto_complete_after: 3600 }, 30 * MINUTE],
    ['idle less than AUTO_COMPLETE_AFTER', 'defaults', {}, 30 * MINUTE],
    [
      'its own auto_complete_after, longer than the default',
      'defaults',
      { auto_complete_after: 3 * 3600 },
      2 * HOUR,
    ],
    ['no auto-complete at all', 'plain', {}, 400 * 24 * HOUR],
    [
      'activity after a long idle',
      'plain',
      { auto_complete_after: 60 },
      61_000,
      (t, j) =>
        request(t.server)
          .post(`${API}/services/${j.serviceId}/states/start`)
          .set(j.tenant)
          .send({ state_type: 'Queue' })
          .expect(201),
    ],
  ])('leaves a service with %s active', async (...[, app, fields, idleMs, activity]) => {
    const t = apps[app];
    const j = await journey(t, fields);
    await idle(t, [j.serviceId], idleMs);
    await activity?.(t, j);
    await sweep(t);
    const after = await completion(t, j);
    expect(after.service).toBeNull();
    expect(new Set(Object.values(after.states))).toEqual(new Set([null]));
    expect(after.tasks).toEqual({
      [j.taskIds[0]]: null,
      [j.taskIds[1]]: null,
      [j.doneTaskId]: j.doneAt,
    });
  });

  // On the embedded engine every application has a database of its own: two instances cannot share one.
  (onServerDatabase ? it : it.skip)(
    'two instances sweeping at once complete each due service once',
    async () => {
      const second = await createTestApp({ env: { SWEEP_INTERVAL: '0' } });
      try {
        const t = apps.plain;
        const journeys = await Promise.all(
          Array.from({ length: 24 }, () => journey(t, { auto_complete_after: 60 })),
        );
        // Whatever earlier tests left due is completed now, so the race below is over these services only.
        await sweep(t);
        await idle(
          t,
          journeys.map((j) => j.serviceId),
          61_000,
        );

        const results = await Promise.all([sweep(t), sweep(second)]);
        expect(results[0].autoCompleted + results[1].autoCompleted).toBe(journeys.length);
        for (const j of journeys) {
          const after = await completion(t, j);
          expect(after.service).toEqual(expect.any(Number));
          expect(after.states).toEqual({ [j.stateId]: after.service });
          expect(after.tasks[j.taskIds[0]]).toBe(after.service);
          expect(after.tasks[j.taskIds[1]]).toBe(after.service);
        }
      } finally {
        await second.close();
      }
    },
  );
});
