import request from 'supertest';
import { BASE, expectError, useResourceApp } from '../support/resource-api';
import { uniqueId } from '../support/test-app';

const PACKAGE = 'com.genesyslab.gsg.services.contextservices.exceptions.';
const UNKNOWN = 987654321;

/** ERROR_STYLE (docs/API.md §8, "Genesys's error answers"): Genesys's statuses, classes and texts. */
describe('ERROR_STYLE=genesys', () => {
  const { api, app } = useResourceApp({
    env: { ERROR_STYLE: 'genesys', TENANTS: '1=Environment,101=ACME', DEFAULT_TENANT: 'ACME' },
  });

  /** The Genesys answer, with this service's request_id beside it. */
  const expectGenesys = (
    response: request.Response,
    status: number,
    exception: string,
    message: string,
  ) => {
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({
      statusCode: status,
      exception: `${PACKAGE}${exception}`,
      message,
    });
    expect(response.body.request_id).toBe(response.headers['x-request-id']);
  };

  it.each([
    ['read', 'get', `/services/${UNKNOWN}`],
    ['delete', 'delete', `/services/${UNKNOWN}`],
    ['end', 'post', `/services/${UNKNOWN}/end`],
    ['states read', 'get', `/services/${UNKNOWN}/states`],
    ['state start', 'post', `/services/${UNKNOWN}/states/start`],
    ['task start', 'post', `/services/${UNKNOWN}/tasks/start`],
    ['extension merge', 'put', `/services/${UNKNOWN}/extensions/Offer/merge`],
    ['associate', 'post', `/customers/c1/services/${UNKNOWN}`],
  ] as const)(
    'answers an unknown service on %s with 400 NotFoundException',
    async (_n, method, path) => {
      const body = path.endsWith('/states/start')
        ? { state_type: 'Identify' }
        : path.endsWith('/tasks/start')
          ? { task_type: 'Callback' }
          : { a: 1 };
      const response = await api
        .as('ACME')
        .call(method, path, method === 'get' || method === 'delete' ? undefined : body);
      expectGenesys(
        response,
        400,
        'NotFoundException',
        `There are no service found for : ${UNKNOWN}`,
      );
    },
  );

  it('answers an unknown state or task of a known service with its own words', async () => {
    const tenant = api.as('101');
    const service = await tenant.startService();
    expectGenesys(
      await tenant.post(`/services/${service}/states/${UNKNOWN}/end`, {}),
      400,
      'NotFoundException',
      `There are no state found for : ${UNKNOWN}`,
    );
    expectGenesys(
      await tenant.get(`/services/${service}/tasks/${UNKNOWN}`),
      400,
      'NotFoundException',
      `There are no task found for : ${UNKNOWN}`,
    );
  });

  it('answers the tenant errors word for word', async () => {
    expectGenesys(
      await api.as('wrong value').get(`/services/${UNKNOWN}`),
      400,
      'ContextServicesExceptionResource',
      "Invalid tenant specified : specified tenant in HTTP header 'ContactCenterId'='wrong value' not configured. Verify configuration.",
    );
  });

  it('names every other error in Genesys package, keeping the envelope and its details', async () => {
    const response = await api
      .as('ACME')
      .post('/services/start', { customer_id: 'c', est_duration: -1 });
    expectGenesys(
      response,
      400,
      'ValidationException',
      'est_duration must be between 0 and 2147483647',
    );
    expect(response.body.details).toEqual([
      { path: 'est_duration', problem: 'must be between 0 and 2147483647' },
    ]);
    const tenant = api.as('ACME');
    const service = await tenant.startService();
    await tenant.post(`/services/${service}/end`, {}).expect(204);
    expect((await tenant.post(`/services/${service}/end`, {})).body.exception).toBe(
      `${PACKAGE}ConflictException`,
    );
  });

  it('keeps a route that does not exist a 404, and a broken path in the package', async () => {
    const missing = await request(app().server).get(`${BASE}/no-such-route`);
    expect(missing.status).toBe(404);
    expect(missing.body.exception).toBe(`${PACKAGE}NotFoundException`);
    const broken = await request(app().server).get(`${BASE}/services/%E0%A4%A`);
    expect(broken.status).toBe(400);
    expect(broken.body.exception).toBe(`${PACKAGE}ValidationException`);
  });
});

describe('ERROR_STYLE=genesys with several tenants and no default among them', () => {
  const { api } = useResourceApp({
    env: { ERROR_STYLE: 'genesys', TENANTS: '1=Environment,101=ACME' },
  });

  it('answers a request without ContactCenterId word for word', async () => {
    const response = await api.get(`/services/${UNKNOWN}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      exception: `${PACKAGE}ContextServicesExceptionResource`,
      message:
        "Invalid tenant specified : no tenant specified in multi-tenant environment. Verify configuration and 'ContactCenterId' HTTP header.",
      request_id: expect.any(String),
    });
  });
});

describe('ERROR_STYLE=standard (the default)', () => {
  const { api } = useResourceApp({ env: { TENANTS: '1=Environment,101=ACME' } });

  it('answers an unknown service with 404 and this service names', async () => {
    const response = await api.as('ACME').get(`/services/${UNKNOWN}`);
    expectError(response, 404, 'NotFoundException');
    expect(response.body.message).toBe(`service ${UNKNOWN} not found`);
    expectError(
      await api.as(uniqueId('nope')).get(`/services/${UNKNOWN}`),
      400,
      'ValidationException',
    );
  });
});
