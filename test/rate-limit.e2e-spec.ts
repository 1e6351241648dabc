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

/** A client address of its own for each test, as the proxy in front (TRUST_PROXY) reports it. */
let lastAddress = 0;
const clientAddress = () => `198.51.100.${(lastAddress += 1)}`;

describe('RATE_LIMIT', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A minute's window: the test cannot straddle two windows of one key.
    t = await createTestApp({ env: { RATE_LIMIT: '3/m', TRUST_PROXY: 'loopback' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const start = (headers: Record<string, string>) =>
    request(t.server).post(START).set(headers).send(body());

  it('answers 429 in the envelope, with Retry-After, past the limit of a client, writing nothing', async () => {
    const client = { 'X-Forwarded-For': clientAddress(), ContactCenterId: 'limited-tenant' };
    for (let i = 0; i < 3; i++) await start(client).expect(200);
    const before = await rowCounts(t.dataSource);
    const response = await start(client).expect(429);
    expect(response.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      exception: 'TooManyRequestsException',
      message: expect.stringContaining('more than 3 requests in 60 s for this client'),
      request_id: response.headers['x-request-id'],
    });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });

  it('gives a fresh tenant name no fresh budget without TENANTS', async () => {
    const address = clientAddress();
    for (let i = 0; i < 3; i++) {
      await start({ 'X-Forwarded-For': address, ContactCenterId: uniqueId('t') }).expect(200);
    }
    await start({ 'X-Forwarded-For': address, ContactCenterId: uniqueId('t') }).expect(429);
    // Another client of the same tenant is not held back by the first.
    await start({ 'X-Forwarded-For': clientAddress(), ContactCenterId: 'limited-tenant' }).expect(
      200,
    );
  });

  it('counts each client on its own, whatever credentials it makes up without access control', async () => {
    const address = clientAddress();
    for (let i = 0; i < 3; i++) {
      await start({ 'X-Forwarded-For': address, Authorization: `Bearer ${uniqueId()}` }).expect(
        200,
      );
    }
    await start({ 'X-Forwarded-For': address, 'X-API-Key': uniqueId() }).expect(429);
    await start({ 'X-Forwarded-For': address, Authorization: uniqueId() }).expect(429);
  });

  it('never limits /health, /metrics or the documentation', async () => {
    for (let i = 0; i < 5; i++) {
      await request(t.server).get('/health').expect(200);
      await request(t.server).get('/metrics').expect(200);
    }
    await request(t.server).get('/docs-json').expect(200);
  });
});

describe('RATE_LIMIT with TENANTS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { RATE_LIMIT: '2/m', TRUST_PROXY: 'loopback', TENANTS: 'acme,globex' },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('counts per client and tenant: one client has a budget in each listed tenant', async () => {
    const address = clientAddress();
    const start = (tenant: string) =>
      request(t.server)
        .post(START)
        .set({ 'X-Forwarded-For': address, ContactCenterId: tenant })
        .send(body());
    for (let i = 0; i < 2; i++) await start('acme').expect(200);
    await start('acme').expect(429);
    await start('globex').expect(200);
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
