import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { API, createJourney, expectEnvelope, RouteIds } from './support/api-routes';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';

/** The Genesys BusinessAttribute model; `Region` governs no field and so checks nothing. */
const ATTRIBUTES = [
  {
    name: 'ServiceType',
    dbid: 101,
    cv_attributes: ['Service.type'],
    values: [
      { name: 'Sales', dbid: 2 },
      { name: 'Support', dbid: 3 },
    ],
  },
  {
    name: 'StateType',
    cv_attributes: ['State.type'],
    values: [
      { name: 'Identify', dbid: 10 },
      { name: 'Queue', dbid: 11 },
    ],
  },
  { name: 'TaskType', cv_attributes: ['Task.type'], values: [{ name: 'Verify', dbid: 20 }] },
  {
    name: 'DispositionCode',
    display_name: 'Disposition',
    cv_attributes: ['Service.disposition', 'State.disposition', 'Task.disposition'],
    values: [
      { name: 'resolved', dbid: 1 },
      { name: 'abandoned', dbid: 2 },
    ],
  },
  {
    name: 'MediaType',
    cv_attributes: ['Service.media_type', 'State.media_type', 'Task.media_type'],
    values: [
      { name: 'voice', dbid: 1, display_name: 'Voice' },
      { name: 'chat', dbid: 2 },
    ],
  },
  { name: 'Region', description: 'governs nothing', values: [{ name: 'North' }] },
];
type Attribute = 'ServiceType' | 'StateType' | 'TaskType' | 'DispositionCode' | 'MediaType';
const valuesOf = (name: Attribute) =>
  ATTRIBUTES.find((a) => a.name === name)!.values as { name: string; dbid: number }[];

const METADATA = `${API}/metadata/business-attributes`;
const dir = mkdtempSync(join(tmpdir(), 'cs-h4-attributes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const composite = (service: object, state: object = {}, task?: object) => ({
  services: [
    {
      service: { customer_id: uniqueId(), service_type: 'Sales', ...service },
      state: { state_type: 'Identify', ...state },
      ...(task && { task: { task_type: 'Verify', ...task } }),
    },
  ],
});

/** [where, attribute, the request carrying `value` (on a journey of its own), its success status, error path] */
type Case = [
  string,
  Attribute,
  (ids: RouteIds, value: unknown) => [string, string, object],
  number,
  string,
];

const s = (ids: RouteIds) => `/services/${ids.serviceId}`;
const CASES: Case[] = [
  [
    'composite start',
    'ServiceType',
    (_, v) => ['post', '/services_composite/start', composite({ service_type: v })],
    200,
    'services[0].service.service_type',
  ],
  [
    'plain start',
    'ServiceType',
    (ids, v) => ['post', '/services/start', { customer_id: ids.customerId, service_type: v }],
    201,
    'service_type',
  ],
  [
    'association',
    'ServiceType',
    (ids, v) => ['post', `/customers/${uniqueId()}${s(ids)}`, { service_type: v }],
    200,
    'service_type',
  ],
  [
    'composite start',
    'StateType',
    (_, v) => ['post', '/services_composite/start', composite({}, { state_type: v })],
    200,
    'services[0].state.state_type',
  ],
  [
    'state start',
    'StateType',
    (ids, v) => ['post', `${s(ids)}/states/start`, { state_type: v }],
    201,
    'state_type',
  ],
  [
    'transition',
    'StateType',
    (ids, v) => [
      'post',
      `${s(ids)}/states/transition`,
      { from: { state_id: ids.stateId }, to: { state_type: v } },
    ],
    201,
    'to.state_type',
  ],
  [
    'composite start',
    'TaskType',
    (_, v) => ['post', '/services_composite/start', composite({}, {}, { task_type: v })],
    200,
    'services[0].task.task_type',
  ],
  [
    'task start',
    'TaskType',
    (ids, v) => ['post', `${s(ids)}/tasks/start`, { task_type: v }],
    201,
    'task_type',
  ],
  [
    'service end',
    'DispositionCode',
    (ids, v) => ['post', `${s(ids)}/end`, { disposition: v }],
    204,
    'disposition',
  ],
  [
    'state end',
    'DispositionCode',
    (ids, v) => ['post', `${s(ids)}/states/${ids.stateId}/end`, { disposition: v }],
    204,
    'disposition',
  ],
  [
    'task end',
    'DispositionCode',
    (ids, v) => ['post', `${s(ids)}/tasks/${ids.taskId}/end`, { disposition: v }],
    204,
    'disposition',
  ],
  [
    'transition',
    'DispositionCode',
    (ids, v) => [
      'post',
      `${s(ids)}/states/transition`,
      { from: { state_id: ids.stateId, disposition: v }, to: { state_type: 'Queue' } },
    ],
    201,
    'from.disposition',
  ],
  [
    'composite start',
    'MediaType',
    (_, v) => ['post', '/services_composite/start', composite({ media_type: v })],
    200,
    'services[0].service.media_type',
  ],
  [
    'state start',
    'MediaType',
    (ids, v) => ['post', `${s(ids)}/states/start`, { state_type: 'Queue', media_type: v }],
    201,
    'media_type',
  ],
  [
    'task end',
    'MediaType',
    (ids, v) => ['post', `${s(ids)}/tasks/${ids.taskId}/end`, { media_type: v }],
    204,
    'media_type',
  ],
];

describe('business attributes from BUSINESS_ATTRIBUTES_FILE', () => {
  let t: TestApp;

  beforeAll(async () => {
    const path = file('business-attributes.json', JSON.stringify(ATTRIBUTES));
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0', BUSINESS_ATTRIBUTES_FILE: path } });
  });

  afterAll(async () => {
    await t.close();
  });

  async function send(build: Case[2], value: unknown) {
    const ids = await createJourney(t.server, {}, uniqueId('cust'), uniqueId('key'));
    const [method, path, body] = build(ids, value);
    return request(t.server)[method as 'post'](`${API}${path}`).send(body);
  }

  it.each(CASES)(
    '%s: an unknown %s is a 400 listing the valid values',
    async (...[, attribute, build, , path]) => {
      for (const value of ['Bogus', 99, '99']) {
        const response = await send(build, value);
        expect([value, response.status]).toEqual([value, 400]);
        expectEnvelope(response.body, 400, 'ValidationException');
        expect(response.body.message).toContain(path);
        expect(response.body.message).toContain(`is not a valid ${attribute}`);
        for (const { name, dbid } of valuesOf(attribute))
          expect(response.body.message).toContain(`${name} (${dbid})`);
      }
    },
  );

  it.each(CASES)(
    '%s: a valid %s is accepted by name and by numeric id',
    async (...[, attribute, build, status]) => {
      const [{ name, dbid }] = valuesOf(attribute);
      for (const value of [name, dbid, String(dbid)]) {
        const response = await send(build, value);
        expect([value, response.status]).toEqual([value, status]);
      }
    },
  );

  it('stores a type given by its numeric id as the string of that id', async () => {
    const response = await request(t.server)
      .post(`${API}/services/start`)
      .send({ customer_id: uniqueId(), service_type: 3 })
      .expect(201);
    const read = await request(t.server)
      .get(`${API}/services/${response.body.service_id}`)
      .expect(200);
    expect(read.body.service_type).toBe('3');
  });

  it('checks no field that no attribute governs', async () => {
    await request(t.server)
      .post(`${API}/services/start`)
      .send({ customer_id: uniqueId(), application_type: 'Anything', resource_type: 42 })
      .expect(201);
  });

  it("checks a field only at the levels its attribute's cv_attributes names", async () => {
    const only = file(
      'service-media-only.json',
      JSON.stringify([
        { name: 'M', cv_attributes: ['Service.media_type'], values: [{ name: 'voice' }] },
      ]),
    );
    const scoped = await createTestApp({
      env: { SWEEP_INTERVAL: '0', BUSINESS_ATTRIBUTES_FILE: only },
    });
    try {
      const start = (path: string, body: object) =>
        request(scoped.server).post(`${API}${path}`).send(body);
      const response = await start('/services/start', {
        customer_id: uniqueId(),
        media_type: 'fax',
      });
      expect(response.status).toBe(400);
      const service = await start('/services/start', {
        customer_id: uniqueId(),
        media_type: 'voice',
      });
      expect(service.status).toBe(201);
      await start(`/services/${service.body.service_id}/states/start`, {
        state_type: 'A',
        media_type: 'fax',
      }).expect(201);
    } finally {
      await scoped.close();
    }
  });

  it('rejects the whole composite request when one event has an unknown value', async () => {
    const before = await rowCounts(t.dataSource);
    const body = {
      services: [...composite({}).services, ...composite({ service_type: 'Bogus' }).services],
    };
    const response = await request(t.server)
      .post(`${API}/services_composite/start`)
      .send(body)
      .expect(400);
    expect(response.body.message).toContain('services[1].service.service_type');
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });

  it('GET /metadata/business-attributes answers every attribute', async () => {
    expect((await request(t.server).get(METADATA).expect(200)).body).toEqual(ATTRIBUTES);
  });

  it.each(ATTRIBUTES.map((a) => a.name))(
    'GET /metadata/business-attributes/%s answers it',
    async (name) => {
      const response = await request(t.server).get(`${METADATA}/${name}`).expect(200);
      expect(response.body).toEqual(ATTRIBUTES.find((a) => a.name === name));
    },
  );

  it.each([
    ['Service.media_type', 'MediaType'],
    ['Task.disposition', 'DispositionCode'],
    ['State.type', 'StateType'],
  ])('?cv-attribute=%s answers the attribute governing it', async (field, name) => {
    const response = await request(t.server).get(`${METADATA}?cv-attribute=${field}`).expect(200);
    expect(response.body).toMatchObject({ name });
  });

  it('?cv-attribute= answers 404 for a field no attribute governs, 400 for no field at all', async () => {
    const none = await request(t.server).get(`${METADATA}?cv-attribute=Task.application_type`);
    expectEnvelope(none.body, 404, 'NotFoundException');
    const bad = await request(t.server).get(`${METADATA}?cv-attribute=Service.colour`);
    expectEnvelope(bad.body, 400, 'ValidationException');
  });

  it.each([
    ['a name that is not configured', 'Colour'],
    ['a field name rather than an attribute name', 'Service.type'],
  ])('GET /metadata/business-attributes/{name} answers 404 to %s', async (_name, name) => {
    const response = await request(t.server).get(`${METADATA}/${name}`).expect(404);
    expectEnvelope(response.body, 404, 'NotFoundException');
  });
});

describe('business attributes without the file', () => {
  let t: TestApp;

  beforeAll(async () => {
    const missing = join(dir, 'absent.json');
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0', BUSINESS_ATTRIBUTES_FILE: missing } });
  });

  afterAll(async () => {
    await t.close();
  });

  it.each([
    [
      'composite start',
      '/services_composite/start',
      composite({ service_type: 'Anything', media_type: 'fax' }, { state_type: 'Whatever' }),
      200,
    ],
    [
      'plain start',
      '/services/start',
      { customer_id: uniqueId(), service_type: 99, media_type: 'fax' },
      201,
    ],
  ])('checks no value in %s', async (_name, path, body, status) => {
    await request(t.server).post(`${API}${path}`).send(body).expect(status);
  });

  it('serves no attribute, and 404 for any', async () => {
    expect((await request(t.server).get(METADATA).expect(200)).body).toEqual([]);
    const response = await request(t.server).get(`${METADATA}/MediaType`).expect(404);
    expectEnvelope(response.body, 404, 'NotFoundException');
  });
});

describe('a malformed business attributes file', () => {
  it.each([
    ['not JSON', '[{ "name": '],
    ['an object', '{}'],
    ['an attribute without values', JSON.stringify([{ name: 'A' }])],
    [
      'an unknown cv_attribute',
      JSON.stringify([{ name: 'A', cv_attributes: ['Service.colour'], values: [] }]),
    ],
    [
      'a field governed twice',
      JSON.stringify([
        { name: 'A', cv_attributes: ['Task.type'], values: [] },
        { name: 'B', cv_attributes: ['Task.type'], values: [] },
      ]),
    ],
    ['a value without a name', JSON.stringify([{ name: 'A', values: [{ dbid: 1 }] }])],
    ['a dbid that is not an integer', JSON.stringify([{ name: 'A', dbid: '7', values: [] }])],
    [
      'an attribute named twice',
      JSON.stringify([
        { name: 'A', values: [] },
        { name: 'A', values: [] },
      ]),
    ],
  ])('stops the boot with a message naming the file (%s)', async (name, content) => {
    const path = file(`${name.replace(/\W+/g, '-')}.json`, content);
    // The file is read with the rest of the configuration, before anything touches the database.
    await expect(
      createTestApp({ env: { SWEEP_INTERVAL: '0', BUSINESS_ATTRIBUTES_FILE: path } }),
    ).rejects.toThrow(path);
  });
});
