import request from 'supertest';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';
import { API_BASE_PATH } from '../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

const valid = () => ({
  service: { customer_id: uniqueId(), service_type: 'Sales' },
  state: { state_type: 'Identify' },
  task: { task_type: 'Verify' },
});

/** A body with one valid event first, so that a rejection must also undo (or never start) its writes. */
const withBad = (bad: object) => ({ services: [valid(), bad] });

describe('composite start rejects bad input with the 400 envelope and writes nothing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { COMPOSITE_MAX_EVENTS: '5', EXTENSION_MAX_BYTES: '200' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const badBodies: [string, unknown, string][] = [
    ['an empty object', {}, 'services'],
    ['services: null', { services: null }, 'services'],
    ['an empty services array', { services: [] }, 'services'],
    ['services that is an object', { services: { service: {} } }, 'services'],
    ['an event that is a string', { services: ['event'] }, 'services'],
    ['a missing service', withBad({ state: { state_type: 'A' } }), 'services[1].service'],
    [
      'a missing state',
      withBad({ service: { customer_id: 'c', service_type: 'S' } }),
      'services[1].state',
    ],
    [
      'a missing service_type',
      withBad({ ...valid(), service: { customer_id: 'c' } }),
      'services[1].service.service_type',
    ],
    [
      'neither customer_id nor contact_key',
      withBad({ ...valid(), service: { service_type: 'S' } }),
      'services[1].service.customer_id',
    ],
    ['a missing state_type', withBad({ ...valid(), state: {} }), 'services[1].state.state_type'],
    [
      'a missing task_type',
      withBad({ ...valid(), task: { state_id: 1 } }),
      'services[1].task.task_type',
    ],
    [
      'a state_type that is a float',
      withBad({ ...valid(), state: { state_type: 1.5 } }),
      'services[1].state.state_type',
    ],
    [
      'a state_type that is an object',
      withBad({ ...valid(), state: { state_type: { a: 1 } } }),
      'services[1].state.state_type',
    ],
    [
      'an empty service_type',
      withBad({ ...valid(), service: { customer_id: 'c', service_type: '' } }),
      'services[1].service.service_type',
    ],
    [
      'a customer_id of 65 characters',
      withBad({ ...valid(), service: { customer_id: 'x'.repeat(65), service_type: 'S' } }),
      'services[1].service.customer_id',
    ],
    [
      'a contact_key that is a decimal number',
      withBad({ ...valid(), service: { contact_key: 555.1234, service_type: 'S' } }),
      'services[1].service.contact_key',
    ],
    [
      'a session_id of 33 characters',
      withBad({ ...valid(), state: { state_type: 'A', session_id: 's'.repeat(33) } }),
      'services[1].state.session_id',
    ],
    [
      'a negative est_duration',
      withBad({ ...valid(), task: { task_type: 'T', est_duration: -1 } }),
      'services[1].task.est_duration',
    ],
    [
      'a huge application_id',
      withBad({ ...valid(), state: { state_type: 'A', application_id: 1e300 } }),
      'services[1].state.application_id',
    ],
    [
      'a fractional resource_id',
      withBad({ ...valid(), task: { task_type: 'T', resource_id: 2.5 } }),
      'services[1].task.resource_id',
    ],
    [
      'a timestamp without a zone',
      withBad({ ...valid(), state: { state_type: 'A', timestamp: '2026-11-27T15:23:34.447' } }),
      'services[1].state.timestamp',
    ],
    [
      'an impossible date',
      withBad({ ...valid(), task: { task_type: 'T', timestamp: '2026-02-30T10:00:00.000Z' } }),
      'services[1].task.timestamp',
    ],
    [
      'an associate_state_task of "yes"',
      withBad({ ...valid(), associate_state_task: 'yes' }),
      'services[1].associate_state_task',
    ],
    [
      'a state_id of 0',
      withBad({ ...valid(), task: { task_type: 'T', state_id: 0 } }),
      'services[1].task.state_id',
    ],
    [
      'associate_state_task with a task.state_id',
      withBad({ ...valid(), associate_state_task: true, task: { task_type: 'T', state_id: 3 } }),
      'services[1].task.state_id',
    ],
    [
      'an extension name with a dash',
      withBad({ ...valid(), state: { state_type: 'A', 'Bad-Name': 1 } }),
      'services[1].state.Bad-Name',
    ],
    [
      'an extension name starting with a digit',
      withBad({ ...valid(), service: { customer_id: 'c', service_type: 'S', '1st': 1 } }),
      'services[1].service.1st',
    ],
    [
      'an extension larger than the limit',
      withBad({ ...valid(), task: { task_type: 'T', Notes: 'n'.repeat(300) } }),
      'services[1].task.Notes',
    ],
    [
      'an extension nested too deep',
      withBad({
        ...valid(),
        state: { state_type: 'A', Deep: JSON.parse('{"a":'.repeat(17) + '1' + '}'.repeat(17)) },
      }),
      'services[1].state.Deep',
    ],
    [
      'an unknown key on the event',
      withBad({ ...valid(), asociate_state_task: true }),
      'services[1].asociate_state_task',
    ],
    ['an unknown top-level key', { services: [valid()], extra: 1 }, 'extra'],
    ['too many events', { services: Array.from({ length: 6 }, valid) }, 'services'],
    ['a body that is an array', [valid()], 'body'],
    ['a body that is null', null, 'body'],
  ];

  it.each(badBodies)('%s', async (_name, body, path) => {
    const before = await rowCounts(t.dataSource);
    const response = await request(t.server)
      .post(START)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body))
      .expect(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      exception: 'ValidationException',
      request_id: expect.any(String),
    });
    expect(response.body.message).toContain(path);
    if (response.body.details) {
      expect(response.body.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });

  it('refuses a __proto__ key anywhere', async () => {
    const before = await rowCounts(t.dataSource);
    const body = `{"services":[{"service":{"customer_id":"c","service_type":"S","__proto__":{"admin":true}},"state":{"state_type":"A"}}]}`;
    const response = await request(t.server)
      .post(START)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(response.body.message).toContain('services[0].service.__proto__');
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });

  it('reports every problem of a body, each with its path', async () => {
    const response = await request(t.server)
      .post(START)
      .send({ services: [{ service: { service_type: 3.5 }, state: {} }] })
      .expect(400);
    expect(response.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'services[0].service.customer_id',
      'services[0].service.service_type',
      'services[0].state.state_type',
    ]);
    expect(response.body.message).toMatch(/\(and 2 more problems\)$/);
  });

  it('answers malformed JSON with the 400 envelope', async () => {
    const response = await request(t.server)
      .post(START)
      .set('Content-Type', 'application/json')
      .send('{"services": [')
      .expect(400);
    expect(response.body).toMatchObject({
      exception: 'ValidationException',
      request_id: expect.any(String),
    });
    expect(response.body.message).toMatch(/not valid JSON/);
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await request(t.server)
      .post(START)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('services=1')
      .expect(415);
    expect(response.body).toMatchObject({
      statusCode: 415,
      exception: 'UnsupportedMediaTypeException',
    });
  });

  it('echoes a sane X-Request-Id in the header and the error body', async () => {
    const response = await request(t.server)
      .post(START)
      .set('X-Request-Id', 'trace-42')
      .send({})
      .expect(400);
    expect(response.headers['x-request-id']).toBe('trace-42');
    expect(response.body.request_id).toBe('trace-42');
  });

  it('answers an unknown route with the 404 envelope', async () => {
    const response = await request(t.server).get('/genesys/1/cs/nothing-here').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, exception: 'NotFoundException' });
  });

  it('rejects a malformed ContactCenterId header, naming it', async () => {
    const response = await request(t.server)
      .post(START)
      .set('ContactCenterId', 'x'.repeat(65))
      .send({ services: [valid()] })
      .expect(400);
    expect(response.body.message).toContain('ContactCenterId');
  });
});

describe('body size limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT: '2kb' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers a body over BODY_LIMIT with the 413 envelope and writes nothing', async () => {
    const before = await rowCounts(t.dataSource);
    const big = { ...valid(), state: { state_type: 'A', Notes: 'n'.repeat(4000) } };
    const response = await request(t.server)
      .post(START)
      .send({ services: [big] })
      .expect(413);
    expect(response.body).toMatchObject({ statusCode: 413, exception: 'PayloadTooLargeException' });
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });
});
