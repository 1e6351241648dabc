import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { API, createJourney, expectEnvelope, RouteIds } from './support/api-routes';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';

const CATALOG = {
  'Service.type': [
    { name: 'Sales', id: 2 },
    { name: 'Support', id: 3 },
  ],
  'State.type': [
    { name: 'Identify', id: 10 },
    { name: 'Queue', id: 11 },
  ],
  'Task.type': [{ name: 'Verify', id: 20 }],
  '*.disposition': [
    { name: 'resolved', id: 1 },
    { name: 'abandoned', id: 2 },
  ],
  '*.media_type': [
    { name: 'voice', id: 1 },
    { name: 'chat', id: 2 },
  ],
};
type Attribute = keyof typeof CATALOG;

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
    'Service.type',
    (_, v) => ['post', '/services_composite/start', composite({ service_type: v })],
    200,
    'services[0].service.service_type',
  ],
  [
    'plain start',
    'Service.type',
    (ids, v) => ['post', '/services/start', { customer_id: ids.customerId, service_type: v }],
    201,
    'service_type',
  ],
  [
    'association',
    'Service.type',
    (ids, v) => ['post', `/customers/${uniqueId()}${s(ids)}`, { service_type: v }],
    200,
    'service_type',
  ],
  [
    'composite start',
    'State.type',
    (_, v) => ['post', '/services_composite/start', composite({}, { state_type: v })],
    200,
    'services[0].state.state_type',
  ],
  [
    'state start',
    'State.type',
    (ids, v) => ['post', `${s(ids)}/states/start`, { state_type: v }],
    201,
    'state_type',
  ],
  [
    'transition',
    'State.type',
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
    'Task.type',
    (_, v) => ['post', '/services_composite/start', composite({}, {}, { task_type: v })],
    200,
    'services[0].task.task_type',
  ],
  [
    'task start',
    'Task.type',
    (ids, v) => ['post', `${s(ids)}/tasks/start`, { task_type: v }],
    201,
    'task_type',
  ],
  [
    'service end',
    '*.disposition',
    (ids, v) => ['post', `${s(ids)}/end`, { disposition: v }],
    204,
    'disposition',
  ],
  [
    'state end',
    '*.disposition',
    (ids, v) => ['post', `${s(ids)}/states/${ids.stateId}/end`, { disposition: v }],
    204,
    'disposition',
  ],
  [
    'task end',
    '*.disposition',
    (ids, v) => ['post', `${s(ids)}/tasks/${ids.taskId}/end`, { disposition: v }],
    204,
    'disposition',
  ],
  [
    'transition',
    '*.disposition',
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
    '*.media_type',
    (_, v) => ['post', '/services_composite/start', composite({ media_type: v })],
    200,
    'services[0].service.media_type',
  ],
  [
    'state start',
    '*.media_type',
    (ids, v) => ['post', `${s(ids)}/states/start`, { state_type: 'Queue', media_type: v }],
    201,
    'media_type',
  ],
  [
    'task end',
    '*.media_type',
    (ids, v) => ['post', `${s(ids)}/tasks/${ids.taskId}/end`, { media_type: v }],
    204,
    'media_type',
  ],
];

describe('business attributes from BUSINESS_ATTRIBUTES_FILE', () => {
  let t: TestApp;

  beforeAll(async () => {
    const path = file('business-attributes.json', JSON.stringify(CATALOG));
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
        for (const { name, id } of CATALOG[attribute])
          expect(response.body.message).toContain(`${name} (${id})`);
      }
    },
  );

  it.each(CASES)(
    '%s: a valid %s is accepted by name and by numeric id',
    async (...[, attribute, build, status]) => {
      const [{ name, id }] = CATALOG[attribute];
      for (const value of [name, id, String(id)]) {
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

  it('does not check attributes the file does not list', async () => {
    await request(t.server)
      .post(`${API}/services/start`)
      .send({ customer_id: uniqueId(), application_type: 'Anything', resource_type: 42 })
      .expect(201);
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

  it('GET /metadata/business-attributes returns the whole catalogue', async () => {
    expect((await request(t.server).get(METADATA).expect(200)).body).toEqual(CATALOG);
  });

  it.each(Object.keys(CATALOG))(
    'GET /metadata/business-attributes/%s returns its values',
    async (name) => {
      const response = await request(t.server).get(`${METADATA}/${name}`).expect(200);
      expect(response.body).toEqual(CATALOG[name as Attribute]);
    },
  );

  it.each([
    ['a known attribute the file does not list', '*.application_type'],
    ['an unknown attribute', 'Service.color'],
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

  it('serves an empty catalogue, and 404 for each attribute', async () => {
    expect((await request(t.server).get(METADATA).expect(200)).body).toEqual({});
    const response = await request(t.server).get(`${METADATA}/Service.type`).expect(404);
    expectEnvelope(response.body, 404, 'NotFoundException');
  });
});

describe('a malformed business attributes file', () => {
  it.each([
    ['not JSON', '{ "Service.type": ['],
    ['an array', '[]'],
    ['an unknown attribute', JSON.stringify({ 'Service.colour': [] })],
    ['a value without an id', JSON.stringify({ 'Service.type': [{ name: 'Sales' }] })],
    ['a list that is not an array', JSON.stringify({ 'Task.type': { name: 'Verify', id: 1 } })],
  ])('stops the boot with a message naming the file (%s)', async (name, content) => {
    const path = file(`${name.replace(/\W+/g, '-')}.json`, content);
    // The file is read with the rest of the configuration, before anything touches the database.
    await expect(
      createTestApp({ env: { SWEEP_INTERVAL: '0', BUSINESS_ATTRIBUTES_FILE: path } }),
    ).rejects.toThrow(path);
  });
});
