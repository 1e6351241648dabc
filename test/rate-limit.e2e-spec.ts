import request from 'supertest';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';

const START = '/genesys/1/cs/services_composite/start';

const body = () => ({
  services: [
    {
      service: { customer_id: uniqueId(), service_type: 'Sales' },
      state: { state_type: 'Identify' },
    },
  ],
});

describe('RATE_LIMIT', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A minute's window: the test cannot straddle two windows of one key.
    t = await createTestApp({ env: { RATE_LIMIT: '3/m' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const start = (headers: Record<string, string>) =>
    request(t.server).post(START).set(headers).send(body());

  it('answers 429 in the envelope, with Retry-After, past the limit of a tenant, writing nothing', async () => {
    const tenant = { ContactCenterId: 'limited-tenant' };
    for (let i = 0; i < 3; i++) await start(tenant).expect(200);
    const before = await rowCounts(t.dataSource);
    const response = await start(tenant).expect(429);
    expect(response.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      exception: 'TooManyRequestsException',
      message: expect.stringContaining('more than 3 requests in 60 s'),
      request_id: response.headers['x-request-id'],
    });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });

  it('counts each tenant and each API key on its own', async () => {
    await start({ ContactCenterId: 'other-tenant' }).expect(200);
    const key = { ContactCenterId: 'limited-tenant', 'X-API-Key': 'key-1' };
    for (let i = 0; i < 3; i++) await start(key).expect(200);
    await start(key).expect(429);
    await start({ ContactCenterId: 'limited-tenant', Authorization: 'Bearer key-2' }).expect(200);
  });

  it('never limits /health, /metrics or the documentation', async () => {
    for (let i = 0; i < 5; i++) {
      await request(t.server).get('/health').expect(200);
      await request(t.server).get('/metrics').expect(200);
    }
    await request(t.server).get('/docs-json').expect(200);
  });
});

describe('without RATE_LIMIT (the default)', () => {
  it('does not limit', async () => {
    const t = await createTestApp();
    try {
      for (let i = 0; i < 20; i++) {
        await request(t.server).post(START).send(body()).expect(200);
      }
    } finally {
      await t.close();
    }
  });
});
