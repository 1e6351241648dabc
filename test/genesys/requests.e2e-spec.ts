import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { BASE, expectError, useResourceApp } from '../support/resource-api';
import { uniqueId } from '../support/test-app';

/**
 * How Genesys clients address the service (docs/API.md §4.4, §6.2, §7): repeated query parameters,
 * tenants by DBID or name, HTTP Basic, and the content types Java clients label their JSON with.
 */
describe('Genesys requests', () => {
  describe('repeated query parameters', () => {
    const { api } = useResourceApp();

    it('reads a repeated list parameter as one comma list', async () => {
      const customer = uniqueId();
      const sales = await api.startService({
        customer_id: customer,
        service_type: 'Sales',
        A: 1,
        B: 2,
      });
      await api.startService({ customer_id: customer, service_type: 'Support' });
      await api.startService({ customer_id: customer, service_type: 'Billing' });
      const listed = await api.read(
        `/customers/${customer}/services?service_types=Sales&service_types=Support&extensions=A&extensions=B`,
      );
      expect(listed.map((s: { service_type: string }) => s.service_type)).toEqual([
        'Sales',
        'Support',
      ]);
      expect(listed[0]).toMatchObject({ service_id: sales, A: 1, B: 2 });
    });

    it.each([
      ['limit', 'limit=1&limit=2'],
      ['started_from', 'started_from=2026-01-01T00:00:00Z&started_from=2026-02-01T00:00:00Z'],
      ['active_states', 'active_states=true&active_states=false'],
      ['extensions', 'extensions[]=A'],
      ['service_types', 'service_types[]=Sales&service_types[]=Support'],
    ])('refuses %s given twice or as name[]=, naming it', async (name, query) => {
      const response = await api.get(`/customers/${uniqueId()}/services?${query}`);
      expectError(response, 400, 'ValidationException');
      expect(response.body.details.map((d: { path: string }) => d.path)).toEqual([name]);
    });

    it('leaves parameters the operation does not know alone, repeated or not', async () => {
      await api.get(`/customers/${uniqueId()}/services?utm=a&utm=b&x[]=1`).expect(200);
    });
  });

  describe('tenants by DBID or name', () => {
    const { api } = useResourceApp({
      env: { TENANTS: '1=Environment,101=ACME,Contact Center Nord', DEFAULT_TENANT: 'Environment' },
    });

    it('reaches the same data through the DBID and the name of a tenant', async () => {
      const service = await api.as('101').startService();
      await api.as('ACME').get(`/services/${service}`).expect(200);
      await api.as('101').get(`/services/${service}`).expect(200);
      expectError(
        await api.as('Environment').get(`/services/${service}`),
        404,
        'NotFoundException',
      );
      const stored = await api.as('1').startService();
      await api.get(`/services/${stored}`).expect(200);
      await api.as('Environment').get(`/services/${stored}`).expect(200);
    });

    it('takes any printable tenant name, spaces included', async () => {
      const service = await api.as('Contact Center Nord').startService();
      await api.as('Contact Center Nord').get(`/services/${service}`).expect(200);
    });

    it('names a tenant that is not configured', async () => {
      const response = await api.as('Globex').get('/services/1');
      expectError(response, 400, 'ValidationException');
      expect(response.body.message).toContain('"Globex"');
    });
  });

  describe('a missing tenant where several are served', () => {
    const { api } = useResourceApp({ env: { TENANTS: '1=Environment,101=ACME' } });

    it('says that no tenant was specified', async () => {
      const response = await api.get('/services/1');
      expectError(response, 400, 'ValidationException');
      expect(response.body.message).toContain('no tenant specified');
    });
  });

  describe('HTTP Basic with API keys', () => {
    const key = randomBytes(16).toString('hex');
    const readerKey = randomBytes(16).toString('hex');
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const { app } = useResourceApp({
      env: { API_KEYS: `gms:writer:${sha256(key)},viewer:reader:${sha256(readerKey)}` },
    });
    const basic = (name: string, secret: string) =>
      `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}`;
    const start = (authorization: string) =>
      request(app().server)
        .post(`${BASE}/services/start`)
        .set('Authorization', authorization)
        .send({ customer_id: uniqueId() });

    it("accepts the key's name and the key, with the key's role", async () => {
      await start(basic('gms', key)).expect(201);
      expectError(await start(basic('viewer', readerKey)), 403, 'ForbiddenException');
    });

    it('refuses a key sent under another name, or no key', async () => {
      expectError(await start(basic('viewer', key)), 401, 'UnauthorizedException');
      expectError(await start(basic('gms', 'nope')), 401, 'UnauthorizedException');
      expectError(await start('Basic bm9jb2xvbg=='), 401, 'UnauthorizedException');
    });
  });

  describe('content types of Java clients', () => {
    const { app, api } = useResourceApp();
    const post = (contentType: string, body: string) =>
      request(app().server)
        .post(`${BASE}/services/start`)
        .set('Content-Type', contentType)
        .send(body);
    // Raw bytes in a charset of the client's choosing, as supertest would re-encode them.
    let url: string;
    beforeAll(async () => {
      url = await app().listen();
    });
    const postBytes = (contentType: string, body: Buffer) =>
      fetch(`${url}${BASE}/services/start`, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });

    it('parses JSON labelled text/plain', async () => {
      const response = await post('text/plain', JSON.stringify({ customer_id: uniqueId() }));
      expect(response.status).toBe(201);
    });

    it.each([
      ['iso-8859-1', 'latin1'],
      ['latin1', 'latin1'],
      ['us-ascii', 'ascii'],
      ['utf-8', 'utf8'],
    ] as const)('honours charset=%s', async (charset, encoding) => {
      const customer = encoding === 'ascii' ? uniqueId() : `${uniqueId()}-café`;
      const body = Buffer.from(JSON.stringify({ customer_id: customer }), encoding);
      const response = await postBytes(`application/json; charset=${charset}`, body);
      expect(response.status).toBe(201);
      const { service_id } = (await response.json()) as { service_id: number };
      const service = await api.read(`/services/${service_id}`);
      expect(service.customer_id).toBe(customer);
    });

    it.each([
      ['application/json; charset=utf-16', '{}'],
      ['application/json; charset=koi8-r', '{}'],
      ['application/x-www-form-urlencoded', 'customer_id=1'],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('answers %s with 415, storing nothing', async (contentType, body) => {
      await api.expectRejected(post(contentType, body), 415, 'UnsupportedMediaTypeException');
    });

    it('answers text/plain that is not JSON with 400', async () => {
      await api.expectRejected(post('text/plain', 'hello'), 400, 'ValidationException');
    });
  });
});
