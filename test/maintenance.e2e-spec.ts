import request from 'supertest';
import { API, expectEnvelope } from './support/api-routes';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const inList = (ids: unknown[]) => `(${ids.map(() => '?').join(',')})`;

describe('maintenance', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Batches of 2, so that every purge below takes several.
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0', SWEEP_BATCH_SIZE: '2' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const newTenant = () => ({ ContactCenterId: uniqueId('tenant') });

  /** Starts a service at `startedAt` (and completes it at `completedAt`); returns its id. */
  async function service(
    tenant: Record<string, string>,
    owner: object,
    startedAt: number,
    completedAt?: number,
    extra: object = {},
  ): Promise<number> {
    const started = await request(t.server)
      .post(`${API}/services/start`)
      .set(tenant)
      .send({ ...owner, service_type: 'Sales', timestamp: iso(startedAt), ...extra })
      .expect(201);
    const id = started.body.service_id as number;
    if (completedAt !== undefined) {
      await request(t.server)
        .post(`${API}/services/${id}/end`)
        .set(tenant)
        .send({ timestamp: iso(completedAt) })
        .expect(204);
    }
    return id;
  }

  const idsOf = async (table: string, column: string, values: unknown[]) =>
    values.length === 0
      ? []
      : (
          await t.dataSource.query<{ id: number | string }[]>(
            `SELECT id FROM ${table} WHERE ${column} IN ${inList(values)} ORDER BY id`,
            values,
          )
        ).map((r) => Number(r.id));

  describe('POST /maintenance/purge', () => {
    const LIMIT = Date.parse('2024-06-01T00:00:00.000Z');

    interface Made {
      id: number;
      anonymous: boolean;
      completed: boolean;
      before: boolean;
    }

    /**
     * Every mix of customer / anonymous × active / completed, started just before the limit, exactly at it,
     * and after it, each through composite start with a state and a task.
     */
    async function population(tenant: Record<string, string>): Promise<Made[]> {
      const made: Omit<Made, 'id'>[] = [];
      const events: object[] = [];
      for (const startedAt of [LIMIT - 1, LIMIT, LIMIT + HOUR]) {
        for (const anonymous of [false, true]) {
          for (const completed of [false, true]) {
            const timestamp = iso(startedAt);
            made.push({ anonymous, completed, before: startedAt < LIMIT });
            events.push({
              service: {
                ...(anonymous
                  ? { contact_key: uniqueId('key') }
                  : { customer_id: uniqueId('cust') }),
                service_type: 'Sales',
                timestamp,
              },
              state: { state_type: 'Identify', timestamp },
              task: { task_type: 'Verify', timestamp },
              associate_state_task: true,
            });
          }
        }
      }
      const response = await request(t.server)
        .post(`${API}/services_composite/start`)
        .set(tenant)
        .send({ services: events })
        .expect(200);
      const ids = (response.body.services as { service: { service_id: number } }[]).map(
        (r) => r.service.service_id,
      );
      for (const [i, m] of made.entries()) {
        if (!m.completed) continue;
        await request(t.server)
          .post(`${API}/services/${ids[i]}/end`)
          .set(tenant)
          .send({ timestamp: iso(LIMIT + 2 * HOUR) })
          .expect(204);
      }
      return made.map((m, i) => ({ ...m, id: ids[i] }));
    }

    const purge = (tenant: Record<string, string>, body: object) =>
      request(t.server).post(`${API}/maintenance/purge`).set(tenant).send(body);

    it.each<[string, (m: Made) => boolean]>([
      ['purge.service.all', () => true],
      ['purge.service.started', (m) => !m.completed],
      ['purge.service.started.anonymous', (m) => !m.completed && m.anonymous],
      ['purge.service.completed', (m) => m.completed],
      ['purge.service.completed.anonymous', (m) => m.completed && m.anonymous],
    ])(
      '%s deletes exactly the services it names started before limit',
      async (operation, selects) => {
        const tenant = newTenant();
        const made = await population(tenant);
        const purged = made.filter((m) => m.before && selects(m)).map((m) => m.id);
        const kept = made
          .map((m) => m.id)
          .filter((id) => !purged.includes(id))
          .sort((a, b) => a - b);
        expect(purged.length).toBeGreaterThan(0);

        const response = await purge(tenant, { limit: iso(LIMIT), operation }).expect(200);
        expect(response.body).toEqual({ purged: purged.length });
        expect(await idsOf('services', 'tenant_id', [tenant.ContactCenterId])).toEqual(kept);
        for (const table of ['states', 'tasks']) {
          expect(await idsOf(table, 'service_id', purged)).toEqual([]);
          expect(await idsOf(table, 'service_id', kept)).toHaveLength(kept.length);
        }
        expect((await purge(tenant, { limit: iso(LIMIT), operation }).expect(200)).body).toEqual({
          purged: 0,
        });
      },
    );

    it('keeps a service started exactly at limit (the rule is "started before")', async () => {
      const tenant = newTenant();
      const at = await service(tenant, { customer_id: uniqueId() }, LIMIT);
      const before = await service(tenant, { customer_id: uniqueId() }, LIMIT - 1);
      await purge(tenant, { limit: iso(LIMIT), operation: 'purge.service.all' }).expect(200);
      expect(await idsOf('services', 'id', [at, before])).toEqual([at]);
    });

    it('purges more services than a batch holds', async () => {
      const tenant = newTenant();
      for (let i = 0; i < 5; i++) await service(tenant, { contact_key: uniqueId() }, LIMIT - HOUR);
      const response = await purge(tenant, {
        limit: iso(LIMIT),
        operation: 'purge.service.started.anonymous',
      });
      expect(response.body).toEqual({ purged: 5 });
      expect(await idsOf('services', 'tenant_id', [tenant.ContactCenterId])).toEqual([]);
    });

    it.each([
      ['no limit', { operation: 'purge.service.all' }, 'limit'],
      [
        'a limit that is not ISO 8601',
        { limit: 'yesterday', operation: 'purge.service.all' },
        'limit',
      ],
      ['an unknown operation', { limit: iso(LIMIT), operation: 'purge.everything' }, 'operation'],
      ['no operation', { limit: iso(LIMIT) }, 'operation'],
    ])('answers 400 to %s', async (_name, body, field) => {
      const response = await purge(newTenant(), body).expect(400);
      expectEnvelope(response.body, 400, 'ValidationException');
      expect(response.body.message).toContain(field);
    });
  });

  describe('GET /maintenance/services/stream', () => {
    const T0 = Date.parse('2024-03-01T00:00:00.000Z');
    const RANGE = { time_from: iso(T0), time_to: iso(T0 + 10 * HOUR) };

    const stream = (tenant: Record<string, string>, query: object) =>
      request(t.server).get(`${API}/maintenance/services/stream`).set(tenant).query(query);

    /** Six services around the range [T0, T0 + 10h), named by what they did when. */
    async function timeline(tenant: Record<string, string>): Promise<Record<string, number>> {
      const at = (hours: number) => T0 + hours * HOUR;
      const rows: [string, number, number?][] = [
        ['startedAtFrom', at(0)],
        ['startedIn', at(1)],
        ['completedIn', at(-1), at(2)],
        ['bothIn', at(3), at(4)],
        ['startedAtTo', at(10)],
        ['spanning', at(-2), at(20)],
      ];
      const ids: Record<string, number> = {};
      for (const [name, startedAt, completedAt] of rows) {
        ids[name] = await service(tenant, { customer_id: uniqueId() }, startedAt, completedAt);
      }
      return ids;
    }

    it.each<[string, object, string[]]>([
      ['any event (the default)', {}, ['startedAtFrom', 'startedIn', 'completedIn', 'bothIn']],
      [
        'filter_events=any',
        { filter_events: 'any' },
        ['startedAtFrom', 'startedIn', 'completedIn', 'bothIn'],
      ],
      [
        'filter_events=started',
        { filter_events: 'started' },
        ['startedAtFrom', 'startedIn', 'bothIn'],
      ],
      ['filter_events=completed', { filter_events: 'completed' }, ['completedIn', 'bothIn']],
      ['filter_state=active', { filter_state: 'active' }, ['startedAtFrom', 'startedIn']],
      ['filter_state=inactive', { filter_state: 'inactive' }, ['completedIn', 'bothIn']],
      [
        'filter_state=any',
        { filter_state: 'any' },
        ['startedAtFrom', 'startedIn', 'completedIn', 'bothIn'],
      ],
      ['started and inactive', { filter_events: 'started', filter_state: 'inactive' }, ['bothIn']],
      ['completed and active', { filter_events: 'completed', filter_state: 'active' }, []],
      [
        'no time_to',
        { time_to: undefined },
        ['startedAtFrom', 'startedIn', 'completedIn', 'bothIn', 'startedAtTo', 'spanning'],
      ],
    ])('exports the ids of services with %s in the range', async (_name, query, expected) => {
      const tenant = newTenant();
      const ids = await timeline(tenant);
      const response = await stream(tenant, { ...RANGE, ...query }).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual(expected.map((name) => ids[name]).sort((a, b) => a - b));
    });

    it('exports whole services, with their states, tasks and extensions, with export_content=true', async () => {
      const tenant = newTenant();
      const id = await service(tenant, { customer_id: uniqueId() }, T0 + HOUR, undefined, {
        Offer: { rate: 3 },
      });
      const post = (path: string, body: object) =>
        request(t.server).post(`${API}/services/${id}${path}`).set(tenant).send(body).expect(201);
      const stateId = (await post('/states/start', { state_type: 'Identify', Feedback: [1] })).body
        .state_id;
      await post('/tasks/start', { task_type: 'Verify', state_id: stateId, Note: 'n' });
      await post('/tasks/start', { task_type: 'Notify' });

      const response = await stream(tenant, { ...RANGE, export_content: true }).expect(200);
      const whole = await request(t.server)
        .get(`${API}/services/${id}`)
        .set(tenant)
        .query({
          active_states: true,
          completed_states: true,
          active_tasks: true,
          completed_tasks: true,
          extensions: '*',
        })
        .expect(200);
      expect(response.body).toEqual([whole.body]);
      expect(whole.body).toMatchObject({
        service_id: id,
        Offer: { rate: 3 },
        active_states: [{ state_id: stateId, Feedback: [1] }],
        active_tasks: expect.arrayContaining([expect.objectContaining({ Note: 'n' })]),
      });
      expect(whole.body.active_tasks).toHaveLength(2);
    });

    it.each([
      ['ids', {}, (item: unknown) => item],
      [
        'whole services',
        { export_content: 'true' },
        (item: unknown) => (item as { service_id: number }).service_id,
      ],
    ])(
      'streams more than a page (200) of %s completely, as valid JSON',
      async (_name, query, idOf) => {
        const tenant = newTenant();
        const values = Array.from(
          { length: 250 },
          (_, i) =>
            `('${tenant.ContactCenterId}', 'bulk-${i}', 'Sales', '', ${T0 + i * 1000}, ${Date.now()})`,
        );
        await t.dataSource.query(
          'INSERT INTO services (tenant_id, customer_id, service_type, contact_key, started_at, last_activity_at) ' +
            `VALUES ${values.join(', ')}`,
        );
        const expected = await idsOf('services', 'tenant_id', [tenant.ContactCenterId]);
        expect(expected).toHaveLength(250);

        const response = await stream(tenant, { time_from: iso(T0), ...query })
          .buffer(true)
          .expect(200);
        const items = JSON.parse(response.text) as unknown[];
        expect(items.map(idOf)).toEqual(expected);
        expect(
          (await stream(newTenant(), { time_from: iso(T0), ...query }).expect(200)).body,
        ).toEqual([]);
      },
    );

    it.each([
      ['no time_from', {}, 'time_from'],
      ['a time_from that is not ISO 8601', { time_from: '2024-03-01' }, 'time_from'],
      ['a time_to that is not ISO 8601', { ...RANGE, time_to: 'later' }, 'time_to'],
      ['an unknown filter_events', { ...RANGE, filter_events: 'ended' }, 'filter_events'],
      ['an unknown filter_state', { ...RANGE, filter_state: 'done' }, 'filter_state'],
      ['a non-boolean export_content', { ...RANGE, export_content: 'maybe' }, 'export_content'],
    ])('answers 400 to %s', async (_name, query, field) => {
      const response = await stream(newTenant(), query).expect(400);
      expectEnvelope(response.body, 400, 'ValidationException');
      expect(response.body.message).toContain(field);
    });
  });
});
