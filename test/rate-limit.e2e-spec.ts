import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';
import { API_BASE_PATH } from '../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

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

  it('counts each tenant on its own, whatever credentials clients make up without access control', async () => {
    await start({ ContactCenterId: 'other-tenant' }).expect(200);
    const tenant = 'junk-credentials-tenant';
    for (let i = 0; i < 3; i++) {
      await start({ ContactCenterId: tenant, Authorization: `Bearer ${uniqueId()}` }).expect(200);
    }
    await start({ ContactCenterId: tenant, 'X-API-Key': uniqueId() }).expect(429);
    await start({ ContactCenterId: tenant, Authorization: uniqueId() }).expect(429);
  });

  it('never limits /health, /metrics or the documentation', async () => {
    for (let i = 0; i < 5; i++) {
      await request(t.server).get('/health').expect(200);
      await request(t.server).get('/metrics').expect(200);
    }
    await request(t.server).get('/docs-json').expect(200);
  });
});

describe('RATE_LIMIT with API keys', () => {
  const keys = { ivr: randomBytes(12).toString('hex'), desk: randomBytes(12).toString('hex') };
  const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        RATE_LIMIT: '5/m',
        API_KEYS: `ivr:writer:${sha256(keys.ivr)},desk:writer:${sha256(keys.desk)}`,
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const start = (headers: Record<string, string>) =>
    request(t.server).post(START).set(headers).send(body());

  it('counts against the key that access control accepted, however the request spells it', async () => {
    const spellings: Record<string, string>[] = [
      { Authorization: `Bearer ${keys.ivr}`, 'X-API-Key': uniqueId() },
      { Authorization: `bearer ${keys.ivr}`, 'X-API-Key': uniqueId() },
      { Authorization: `BEARER    ${keys.ivr}  ` },
      { 'X-API-Key': keys.ivr, ContactCenterId: uniqueId('t') },
      { Authorization: `Basic ${Buffer.from(`ivr:${keys.ivr}`).toString('base64')}` },
    ];
    for (const headers of spellings) await start(headers).expect(200);
    for (const headers of spellings) await start(headers).expect(429);
    // Another key has its own count; refused credentials count for nobody.
    await start({ Authorization: `Bearer ${keys.desk}` }).expect(200);
    await start({ Authorization: `Bearer ${uniqueId()}` }).expect(401);
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
