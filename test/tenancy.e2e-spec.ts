import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import request from 'supertest';
import { readExport } from './support/export-files';
import {
  API,
  apiOperations,
  callOperation,
  createJourney,
  expectEnvelope,
  label,
  Operation,
  RouteIds,
} from './support/api-routes';
import { createTestApp, minutesAgo, TestApp, uniqueId } from './support/test-app';

const EPOCH = '2000-01-01T00:00:00.000Z';
const FUTURE = '2999-01-01T00:00:00.000Z';
const tenant = (id: string) => ({ ContactCenterId: id });

/** Tenant A's world: a journey (service, state, task), and completed and anonymous services of its keys. */
async function tenantWorld(t: TestApp, tenantId: string): Promise<RouteIds> {
  const headers = tenant(tenantId);
  const ids = await createJourney(t.server, headers, uniqueId('cust'), uniqueId('key'));
  for (const owner of [{ customer_id: ids.customerId }, { contact_key: ids.contactKey }]) {
    const completed = await request(t.server)
      .post(`${API}/services/start`)
      .set(headers)
      .send(owner)
      .expect(201);
    await request(t.server)
      .post(`${API}/services/${completed.body.service_id}/end`)
      .set(headers)
      .send({})
      .expect(204);
  }
  await request(t.server)
    .post(`${API}/services/start`)
    .set(headers)
    .send({ contact_key: ids.contactKey })
    .expect(201);
  return ids;
}

/** Every row of the tenant's services, states and tasks, to prove another tenant changed nothing. */
async function snapshot(t: TestApp, tenantId: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const table of ['services', 'states', 'tasks']) {
    rows.push(
      await t.dataSource.query(`SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY id`, [
        tenantId,
      ]),
    );
  }
  return rows;
}

const listIds = async (t: TestApp, tenantId: string, path: string) =>
  (
    (await request(t.server).get(`${API}${path}`).set(tenant(tenantId)).expect(200)).body as {
      service_id: number;
    }[]
  ).map((s) => s.service_id);

const exportIds = async (t: TestApp, tenantId: string) =>
  (
    await request(t.server)
      .get(`${API}/maintenance/services/stream`)
      .query({ time_from: EPOCH })
      .set(tenant(tenantId))
      .expect(200)
  ).body as number[];

/**
 * Operations that are neither about one service nor a list by customer or contact key: each has its own
 * tenant check. A new operation must either match the patterns below or be added here.
 */
const EXPLICIT: Record<string, (t: TestApp, a: string, b: string, ids: RouteIds) => Promise<void>> =
  {
    'POST /services_composite/start': async (t, a, b, ids) => {
      const event = {
        service: {
          customer_id: ids.customerId,
          contact_key: ids.contactKey,
          service_type: 'Sales',
        },
        state: { state_type: 'Identify' },
      };
      const start = (tenantId: string) =>
        request(t.server)
          .post(`${API}/services_composite/start`)
          .set(tenant(tenantId))
          .send({ services: [event] })
          .expect(200);
      const inB = (await start(b)).body.services[0].service;
      expect(inB).toEqual({ service_id: expect.any(Number), created: 'true' });
      expect(inB.service_id).not.toBe(ids.serviceId);
      expect((await start(a)).body.services[0].service).toEqual({
        service_id: ids.serviceId,
        created: 'false',
      });
    },
    'POST /services/start': async (t, a, b, ids) => {
      const before = await listIds(t, a, `/customers/${ids.customerId}/services`);
      const started = await request(t.server)
        .post(`${API}/services/start`)
        .set(tenant(b))
        .send({ customer_id: ids.customerId })
        .expect(201);
      expect(await listIds(t, b, `/customers/${ids.customerId}/services`)).toEqual([
        started.body.service_id,
      ]);
      expect(await listIds(t, a, `/customers/${ids.customerId}/services`)).toEqual(before);
    },
    'GET /services': async (t, a, b, ids) => {
      // Tenant a holds the journey's service; b sees none of it, and a sees it among its own.
      expect(await listIds(t, b, '/services?limit=1000')).not.toContain(ids.serviceId);
      expect(await listIds(t, a, '/services?status=active&limit=1000')).toContain(ids.serviceId);
    },
    'POST /maintenance/services/import': async (t, a, b, ids) => {
      const source = JSON.stringify([
        {
          service_id: ids.serviceId,
          customer_id: ids.customerId,
          started: { timestamp: minutesAgo(20) },
          completed: { timestamp: minutesAgo(15) },
        },
      ]);
      const into = async (tenantId: string) =>
        (
          await request(t.server)
            .post(`${API}/maintenance/services/import?source=tenancy`)
            .set(tenant(tenantId))
            .set('Content-Type', 'application/json')
            .send(source)
            .expect(200)
        ).body as { imported: number; services: { service_id: number }[] };
      const inB = await into(b);
      // The same source in another tenant is another history: stored anew, not found.
      const inA = await into(a);
      expect([inB.imported, inA.imported]).toEqual([1, 1]);
      expect(inA.services[0].service_id).not.toBe(inB.services[0].service_id);
      await request(t.server)
        .get(`${API}/services/${inB.services[0].service_id}`)
        .set(tenant(a))
        .expect(404);
    },
    'POST /maintenance/purge': async (t, a, b, ids) => {
      const purge = await request(t.server)
        .post(`${API}/maintenance/purge`)
        .set(tenant(b))
        .send({ limit: FUTURE, operation: 'purge.service.all' })
        .expect(200);
      expect(purge.body).toEqual({ purged: 0 });
      await request(t.server).get(`${API}/services/${ids.serviceId}`).set(tenant(a)).expect(200);
    },
    'GET /maintenance/services/stream': async (t, a, b, ids) => {
      expect(await exportIds(t, a)).toContain(ids.serviceId);
      expect(await exportIds(t, b)).toEqual([]);
    },
    'POST /maintenance/services/files': async (t, a, b, ids) => {
      const exported = async (tenantId: string) => {
        const response = await request(t.server)
          .post(`${API}/maintenance/services/files`)
          .query({ time_from: EPOCH })
          .set(tenant(tenantId))
          .expect(200);
        // An export that selects nothing writes no file (created is empty).
        const [services] = (response.body as { created: string }).created.split(', ');
        return services === ''
          ? []
          : readExport(services).map((line) => (line as { service_id: number }).service_id);
      };
      expect(await exported(a)).toContain(ids.serviceId);
      expect(await exported(b)).toEqual([]);
    },
    'GET /stats/services': async (t, a, b) => {
      const started = async (tenantId: string) =>
        (
          (
            await request(t.server)
              .get(`${API}/stats/services`)
              .query({ bucket: '1d' })
              .set(tenant(tenantId))
              .expect(200)
          ).body as { by_type: { started: number }[] }
        ).by_type.reduce((sum, type) => sum + type.started, 0);
      expect(await started(a)).toBeGreaterThan(0);
      expect(await started(b)).toBe(0);
    },
    'GET /metadata/business-attributes': async (t, a, b) => {
      const get = (tenantId: string) =>
        request(t.server).get(`${API}/metadata/business-attributes`).set(tenant(tenantId));
      const inA = await get(a).expect(200);
      expect((inA.body as { name: string }[]).map((attribute) => attribute.name)).toContain(
        'ServiceType',
      );
      expect((await get(b).expect(200)).body).toEqual(inA.body);
    },
    'GET /access/me': async (t, a, b) => {
      const me = async (tenantId: string) =>
        (await request(t.server).get(`${API}/access/me`).set(tenant(tenantId)).expect(200)).body;
      expect(await me(a)).toMatchObject({ tenant: a });
      expect(await me(b)).toMatchObject({ tenant: b });
    },
    'GET /metadata/business-attributes/{name}': async (t, a, b) => {
      const get = (tenantId: string) =>
        request(t.server)
          .get(`${API}/metadata/business-attributes/ServiceType`)
          .set(tenant(tenantId));
      const inA = await get(a).expect(200);
      expect((await get(b).expect(200)).body).toEqual(inA.body);
    },
  };

type Kind = 'one service' | 'list by key' | 'explicit';

function kindOf(op: Operation): Kind | undefined {
  if (label(op) in EXPLICIT) return 'explicit';
  if (op.path.includes('{service_id}')) return 'one service';
  if (op.method === 'get' && /\{(customer_id|contact_key)\}/.test(op.path)) return 'list by key';
  return undefined;
}

describe('tenancy', () => {
  let t: TestApp;
  let operations: Operation[];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        SWEEP_INTERVAL: '0',
        BUSINESS_ATTRIBUTES_FILE: 'config/business-attributes.example.json',
      },
    });
    operations = await apiOperations(t.server);
  });

  afterAll(async () => {
    await t.close();
  });

  it('knows how every operation of the API keeps tenants apart', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((op) => kindOf(op) === undefined).map(label)).toEqual([]);
    expect(Object.keys(EXPLICIT).filter((l) => !operations.some((op) => label(op) === l))).toEqual(
      [],
    );
  });

  it('answers 404 to another tenant on every operation on a service, and changes nothing of it', async () => {
    const [a, b] = [uniqueId('ta'), uniqueId('tb')];
    const ids = await tenantWorld(t, a);
    const own = await createJourney(t.server, tenant(b), uniqueId('cust'), uniqueId('key'));
    const before = await snapshot(t, a);
    const wrong: string[] = [];
    let calls = 0;
    for (const op of operations.filter((o) => kindOf(o) === 'one service')) {
      // A's ids in B; and B's own service with A's state or task.
      const variants = /\{(state|task)_id\}|transition/.test(op.path)
        ? [ids, { ...ids, serviceId: own.serviceId }]
        : [ids];
      for (const variant of variants) {
        const response = await callOperation(t.server, op, variant, tenant(b));
        const { status, body } = response;
        if (status !== 404 || !/^(service|state|task) \d+ /.test(String(body.message))) {
          wrong.push(`${label(op)} (service ${variant.serviceId}): ${status} ${body.message}`);
        } else {
          expectEnvelope(body, 404, 'NotFoundException');
        }
        calls += 1;
      }
    }
    expect(calls).toBeGreaterThanOrEqual(30);
    expect(wrong).toEqual([]);
    expect(await snapshot(t, a)).toEqual(before);
  });

  it("shows another tenant none of a customer's or contact key's services", async () => {
    const [a, b] = [uniqueId('ta'), uniqueId('tb')];
    const ids = await tenantWorld(t, a);
    const lists = operations.filter((o) => kindOf(o) === 'list by key');
    expect(lists.length).toBeGreaterThanOrEqual(6);
    for (const op of lists) {
      const inA = await callOperation(t.server, op, ids, tenant(a)).expect(200);
      expect(inA.body.length).toBeGreaterThan(0);
      const inB = await callOperation(t.server, op, ids, tenant(b)).expect(200);
      expect([label(op), inB.body]).toEqual([label(op), []]);
    }
  });

  it.each(Object.entries(EXPLICIT))('%s keeps tenants apart', async (_label, check) => {
    const [a, b] = [uniqueId('ta'), uniqueId('tb')];
    await check(t, a, b, await tenantWorld(t, a));
  });

  it('uses the default tenant without a ContactCenterId header', async () => {
    const ids = await createJourney(t.server, {}, uniqueId('cust'), uniqueId('key'));
    await request(t.server).get(`${API}/services/${ids.serviceId}`).expect(200);
    await request(t.server)
      .get(`${API}/services/${ids.serviceId}`)
      .set(tenant('default'))
      .expect(200);
    await request(t.server)
      .get(`${API}/services/${ids.serviceId}`)
      .set(tenant(uniqueId('other')))
      .expect(404);
  });

  it.each([
    // HTTP itself trims surrounding spaces; a tab inside is a control character.
    ['ContactCenterId', 'tab\there'],
    ['ContactCenterId', 'x'.repeat(65)],
    ['GroupId', 'tab\there'],
    ['GroupId', 'y'.repeat(65)],
  ])('answers 400 to a malformed %s header (%j)', async (header, value) => {
    const response = await request(t.server)
      .post(`${API}/services/start`)
      .set(header, value)
      .send({ customer_id: uniqueId() })
      .expect(400);
    expectEnvelope(response.body, 400, 'ValidationException');
    expect(response.body.message).toContain(header);
  });

  describe('GroupId', () => {
    const groupIds = async (ids: { serviceId: number; stateId: number; taskId: number }) => {
      const value = async (table: string, id: number) =>
        (
          await t.dataSource.query<{ group_id: string | null }[]>(
            `SELECT group_id FROM ${table} WHERE id = ?`,
            [id],
          )
        )[0].group_id;
      return [
        await value('services', ids.serviceId),
        await value('states', ids.stateId),
        await value('tasks', ids.taskId),
      ];
    };

    const plainStarts = async (headers: Record<string, string>) => {
      const post = (path: string, body: object) =>
        request(t.server).post(`${API}${path}`).set(headers).send(body).expect(201);
      const serviceId = (await post('/services/start', { customer_id: uniqueId() })).body
        .service_id as number;
      const stateId = (await post(`/services/${serviceId}/states/start`, { state_type: 'Queue' }))
        .body.state_id as number;
      const taskId = (
        await post(`/services/${serviceId}/tasks/start`, { task_type: 'Verify', state_id: stateId })
      ).body.task_id as number;
      return { serviceId, stateId, taskId };
    };

    const composite = (headers: Record<string, string>) =>
      createJourney(t.server, headers, uniqueId('cust'), uniqueId('key'));

    it.each([
      ['composite start', composite],
      ['plain starts', plainStarts],
    ])('is stored with the service, state and task made by %s', async (_name, create) => {
      const group = uniqueId('unit');
      const ids = await create({ ...tenant(uniqueId('t')), GroupId: group });
      expect(await groupIds(ids)).toEqual([group, group, group]);
      expect(await groupIds(await create(tenant(uniqueId('t'))))).toEqual([null, null, null]);
    });
  });
});

describe('tenancy with TENANTS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0', TENANTS: 'acme,globex' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const start = (headers: Record<string, string>) =>
    request(t.server).post(`${API}/services/start`).set(headers).send({ customer_id: uniqueId() });

  it.each([
    ['another tenant', tenant('initech')],
    ['no header (the default tenant is not listed)', {}],
  ])('answers 400 naming ContactCenterId to %s', async (_name, headers) => {
    const response = await start(headers).expect(400);
    expectEnvelope(response.body, 400, 'ValidationException');
    expect(response.body.message).toContain('ContactCenterId');
    await request(t.server).get(`${API}/services/1`).set(headers).expect(400);
  });

  it.each(['acme', 'globex'])('serves the listed tenant %s', async (tenantId) => {
    const started = await start(tenant(tenantId)).expect(201);
    await request(t.server)
      .get(`${API}/services/${started.body.service_id}`)
      .set(tenant(tenantId))
      .expect(200);
  });

  it('keeps /health open', async () => {
    await request(t.server).get('/health').expect(200);
  });
});

describe('tenant names beyond ASCII', () => {
  const nord = 'Contact Center Nord';
  const zurich = 'Zürich, Süd';
  const key = randomBytes(24).toString('base64url');
  let t: TestApp;
  let base: URL;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        SWEEP_INTERVAL: '0',
        TENANTS: `7=${nord},Zürich\\, Süd,Ελλάδα`,
        API_KEYS: `desk:writer:${createHash('sha256').update(key).digest('hex')}:${nord}|Zürich\\, Süd`,
      },
    });
    base = new URL(await t.listen());
  });

  afterAll(async () => {
    await t.close();
  });

  /**
   * A request whose ContactCenterId is exactly these bytes, over a socket of its own: HTTP clients disagree
   * on how they write a non-ASCII header (Node writes Latin-1, or UTF-8 when a body shares the packet).
   */
  function rawCall(method: string, path: string, tenantBytes: Buffer, body = '') {
    return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const socket = connect(Number(base.port), base.hostname);
      const head = Buffer.from(
        `${method} ${API}${path} HTTP/1.1\r\nHost: ${base.host}\r\nConnection: close\r\n` +
          `Authorization: Bearer ${key}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nContactCenterId: `,
      );
      // Written, not ended: the server answers, then closes (Connection: close).
      socket.write(Buffer.concat([head, tenantBytes, Buffer.from(`\r\n\r\n${body}`)]));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [headers, ...rest] = text.split('\r\n\r\n');
        resolve({ status: Number(headers.split(' ')[1]), body: JSON.parse(rest.join('\r\n\r\n')) });
      });
    });
  }
  const utf8 = (name: string) => Buffer.from(name, 'utf8');
  const start = (tenantBytes: Buffer) =>
    rawCall('POST', '/services/start', tenantBytes, JSON.stringify({ customer_id: uniqueId() }));

  it('reaches a tenant named with spaces by name and by DBID, and one named in UTF-8', async () => {
    const byName = await start(utf8(nord));
    expect(byName.status).toBe(201);
    const byDbid = await rawCall('GET', `/services/${String(byName.body.service_id)}`, utf8('7'));
    expect(byDbid.status).toBe(200);
    const inZurich = await start(utf8(zurich));
    expect(inZurich.status).toBe(201);
    const me = await rawCall('GET', '/access/me', utf8(zurich));
    expect(me.body).toMatchObject({ tenant: zurich });
    // Another tenant's header does not reach Zürich's service.
    const elsewhere = await rawCall(
      'GET',
      `/services/${String(inZurich.body.service_id)}`,
      utf8(nord),
    );
    expect(elsewhere.status).toBe(404);
  });

  it('holds the key to the tenants it is bound to, non-ASCII ones included', async () => {
    const response = await start(utf8('Ελλάδα'));
    expect(response.status).toBe(403);
    expect(response.body.message).toContain('Ελλάδα');
  });

  it('reads bytes that are not UTF-8 as Latin-1, as before: a Latin-1 client reaches the same tenant', async () => {
    const response = await start(Buffer.from('Z\u00fcrich, S\u00fcd', 'latin1'));
    expect(response.status).toBe(201);
    const me = await rawCall('GET', '/access/me', Buffer.from('Z\u00fcrich, S\u00fcd', 'latin1'));
    expect(me.body).toMatchObject({ tenant: zurich });
  });
});
