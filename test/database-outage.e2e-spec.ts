import request from 'supertest';
import { TcpProxy } from './support/tcp-proxy';
import { createTestApp, TestApp, uniqueId } from './support/test-app';
import { ensureDatabase, onServerDatabase, workerDatabaseUrl } from './support/test-database';
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

// An embedded database cannot become unreachable; this needs a server database.
(onServerDatabase ? describe : describe.skip)('when the database becomes unreachable', () => {
  let t: TestApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const url = new URL(workerDatabaseUrl());
    await ensureDatabase(url.toString());
    proxy = new TcpProxy(url.hostname, Number(url.port || 3306));
    url.host = `127.0.0.1:${await proxy.start()}`;
    t = await createTestApp({ databaseUrl: url.toString() });
  });

  afterAll(async () => {
    await proxy.cut();
    await t.close();
  });

  it('answers 503 in the envelope, quickly, and /health reports the database down', async () => {
    await request(t.server).post(START).send(body()).expect(200);
    await request(t.server).get('/health').expect(200);

    await proxy.cut();

    const startedAt = Date.now();
    const response = await request(t.server).post(START).send(body()).expect(503);
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(response.body).toMatchObject({
      statusCode: 503,
      exception: 'ServiceUnavailableException',
      request_id: expect.any(String),
    });
    expect(response.body.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);

    const health = await request(t.server).get('/health').expect(503);
    expect(health.body).toMatchObject({
      statusCode: 503,
      message: 'unhealthy: database down',
      details: [{ path: 'database', problem: expect.any(String) }],
    });
  });
});
