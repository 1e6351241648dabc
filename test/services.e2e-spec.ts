import { minutesAgo, rowCounts, uniqueId } from './support/test-app';
import { BASE, expectError, Operation, useResourceApp } from './support/resource-api';

/** Service-level operations (docs/API.md §4.1), each with a valid body, by the service id they act on. */
// Every row has a body slot (undefined for none): jest would take a missing last argument for `done`.
const SERVICE_OPERATIONS: Operation[] = [
  ['get', 'get', '/services/{id}', undefined],
  ['end', 'post', '/services/{id}/end', { disposition: 'done' }],
  ['delete', 'delete', '/services/{id}', undefined],
  ['set expiration', 'put', '/services/{id}', { ttl: 3600 }],
  ['replace an extension', 'put', '/services/{id}/extensions/Note', { a: 1 }],
  ['merge into an extension', 'put', '/services/{id}/extensions/Note/merge', { a: 1 }],
  ['associate', 'post', '/customers/cust-x/services/{id}', {}],
  ['start a state', 'post', '/services/{id}/states/start', { state_type: 'Identify' }],
  [
    'transition',
    'post',
    '/services/{id}/states/transition',
    { from: { state_id: 1 }, to: { state_type: 'Queue' } },
  ],
  ['list states', 'get', '/services/{id}/states', undefined],
  ['list active states', 'get', '/services/{id}/states/active', undefined],
  ['list completed states', 'get', '/services/{id}/states/completed', undefined],
  ['start a task', 'post', '/services/{id}/tasks/start', { task_type: 'Verify' }],
  ['list tasks', 'get', '/services/{id}/tasks', undefined],
  ['list active tasks', 'get', '/services/{id}/tasks/active', undefined],
  ['list completed tasks', 'get', '/services/{id}/tasks/completed', undefined],
];

const BAD_IDS = ['abc', '0', '-1', '1.5', '1e3'];

describe('services (docs/API.md §4.1)', () => {
  const { app, api } = useResourceApp();

  const ids = (services: { service_id: number }[]) => services.map((s) => s.service_id);

  describe('start', () => {
    it('answers 201 with the new id and its Location', async () => {
      const response = await api
        .post('/services/start', { customer_id: uniqueId(), service_type: 'Sales' })
        .expect(201);
      expect(response.body).toEqual({ service_id: expect.any(Number) });
      expect(Number.isInteger(response.body.service_id)).toBe(true);
      expect(response.body.service_id).toBeGreaterThan(0);
      expect(response.headers.location).toBe(`${BASE}/services/${response.body.service_id}`);
      await api.get(`/services/${response.body.service_id}`).expect(200);
    });

    it('accepts an anonymous service (contact_key alone) and no service_type', async () => {
      const id = await api.startService({ customer_id: undefined, contact_key: uniqueId('+33') });
      const service = await api.read(`/services/${id}`);
      expect(service).not.toHaveProperty('customer_id');
    });

    it('always creates a new service, even with an active one of the same key', async () => {
      const key = { customer_id: uniqueId(), service_type: 'Sales' };
      const composite = await api
        .post('/services_composite/start', {
          services: [{ service: key, state: { state_type: 'Identify' } }],
        })
        .expect(200);
      const first = await api.startService(key);
      const second = await api.startService(key);
      const compositeId = composite.body.services[0].service.service_id;
      expect(new Set([compositeId, first, second]).size).toBe(3);
      const listed = await api.read(`/customers/${key.customer_id}/services/active`);
      expect(ids(listed)).toEqual([compositeId, first, second]);
    });

    it('is found by a later composite start with the same key', async () => {
      const key = { customer_id: uniqueId(), service_type: 'Sales', contact_key: '555' };
      const id = await api.startService(key);
      const response = await api
        .post('/services_composite/start', {
          services: [{ service: key, state: { state_type: 'Identify' } }],
        })
        .expect(200);
      expect(response.body.services[0].service).toEqual({ service_id: id, created: 'false' });
    });

    it.each([
      ['neither customer_id nor contact_key', { service_type: 'Sales' }],
      ['a fractional customer_id', { customer_id: 42.5 }],
      ['a customer_id over 64 characters', { customer_id: 'c'.repeat(65) }],
      ['a contact_key over 128 characters', { contact_key: 'k'.repeat(129) }],
      ['a negative est_duration', { customer_id: 'c', est_duration: -1 }],
      ['a fractional est_duration', { customer_id: 'c', est_duration: 1.5 }],
      ['a bad timestamp', { customer_id: 'c', timestamp: 'yesterday' }],
      ['a session_id over 32 characters', { customer_id: 'c', session_id: 's'.repeat(33) }],
      ['a text application_id', { customer_id: 'c', application_id: 'forty' }],
      ['an object service_type', { customer_id: 'c', service_type: { a: 1 } }],
      ['a bad extension name', { customer_id: 'c', '1stOffer': true }],
      ['a non-object body', ['customer_id']],
    ])('rejects %s with 400 and stores nothing', async (_name, body) => {
      await api.expectRejected(api.post('/services/start', body), 400, 'ValidationException');
    });

    it('rejects malformed JSON with 400', async () => {
      const response = await api
        .call('post', '/services/start')
        .type('json')
        .send('{"customer_id": ');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, request_id: expect.any(String) });
    });
  });

  describe('complete', () => {
    it('answers 204 with no body', async () => {
      const id = await api.startService();
      const response = await api.post(`/services/${id}/end`, { disposition: 'done' }).expect(204);
      expect(response.text).toBe('');
      expect(await api.read(`/services/${id}`)).toMatchObject({ disposition: 'done' });
    });

    it('accepts no body at all', async () => {
      const id = await api.startService();
      await api.post(`/services/${id}/end`).expect(204);
      expect(await api.read(`/services/${id}`)).toHaveProperty('completed');
    });

    it.each([
      ['an object disposition', { disposition: { a: 1 } }],
      ['a disposition_desc over 64 characters', { disposition_desc: 'd'.repeat(65) }],
      ['a bad timestamp', { timestamp: '2026-02-30T00:00:00.000Z' }],
      ['a negative ttl', { ttl: -5 }],
    ])('rejects %s with 400 and leaves the service active', async (_name, body) => {
      const id = await api.startService();
      expectError(await api.post(`/services/${id}/end`, body), 400, 'ValidationException');
      expect(await api.read(`/services/${id}`)).not.toHaveProperty('completed');
    });

    it('records the expiration an end event carries', async () => {
      const id = await api.startService();
      await api
        .post(`/services/${id}/end`, { expiration_time: '2099-05-06T07:08:09.010Z' })
        .expect(204);
      expect(await api.read(`/services/${id}`)).toMatchObject({
        expiration_time: '2099-05-06T07:08:09.010Z',
      });
    });
  });

  describe('delete', () => {
    it('answers 200 with an empty body, removing the service with its states and tasks', async () => {
      const before = await rowCounts(app().dataSource);
      const id = await api.startService({ Offer: { id: 1 } });
      const state = await api.startState(id, { Feedback: [1] });
      await api.startTask(id, { state_id: state });
      await api.startTask(id);
      expect(await rowCounts(app().dataSource)).toEqual({
        services: before.services + 1,
        states: before.states + 1,
        tasks: before.tasks + 2,
      });
      const response = await api.delete(`/services/${id}`).expect(200);
      expect(response.text).toBe('');
      expect(await rowCounts(app().dataSource)).toEqual(before);
      await api.get(`/services/${id}`).expect(404);
      await api.get(`/services/${id}/states/${state}`).expect(404);
    });

    it('answers 404 the second time', async () => {
      const id = await api.startService();
      await api.delete(`/services/${id}`).expect(200);
      expectError(await api.delete(`/services/${id}`), 404, 'NotFoundException');
    });
  });

  describe('set expiration (PUT)', () => {
    it('stores expiration_time, answering 200 with an empty body', async () => {
      const id = await api.startService();
      const response = await api
        .put(`/services/${id}`, { expiration_time: '2099-01-02T03:04:05.678Z' })
        .expect(200);
      expect(response.text).toBe('');
      expect(await api.read(`/services/${id}`)).toMatchObject({
        expiration_time: '2099-01-02T03:04:05.678Z',
      });
    });

    it('takes ttl (seconds from now) over expiration_time', async () => {
      const id = await api.startService();
      const before = Date.now();
      await api
        .put(`/services/${id}`, { ttl: 3600, expiration_time: '2099-01-02T03:04:05.678Z' })
        .expect(200);
      const after = Date.now();
      const expires = Date.parse((await api.read(`/services/${id}`)).expiration_time);
      expect(expires).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(expires).toBeLessThanOrEqual(after + 3_600_000);
    });

    it.each([
      ['an empty body', {}],
      ['a negative ttl', { ttl: -1 }],
      ['a text ttl', { ttl: 'an hour' }],
      ['a bad expiration_time', { expiration_time: 'tomorrow' }],
    ])('rejects %s with 400', async (_name, body) => {
      const id = await api.startService();
      expectError(await api.put(`/services/${id}`, body), 400, 'ValidationException');
      expect(await api.read(`/services/${id}`)).not.toHaveProperty('expiration_time');
    });
  });

  describe('associate with a customer', () => {
    it('answers 200 with the updated service, keeping its contact_key', async () => {
      const contactKey = uniqueId('+33');
      const id = await api.startService({ customer_id: undefined, contact_key: contactKey });
      const customer = uniqueId('cust');
      const response = await api
        .post(`/customers/${customer}/services/${id}`, { est_duration: 120 })
        .expect(200);
      expect(response.body).toMatchObject({
        service_id: id,
        service_type: 'Sales',
        customer_id: customer,
        contact_key: contactKey,
        est_duration: 120,
        started: { timestamp: expect.any(String) },
      });
      expect(response.body).not.toHaveProperty('completed');
    });

    it('moves the service between the anonymous and customer lists', async () => {
      const contactKey = uniqueId('+33');
      const anonymous = { customer_id: undefined, contact_key: contactKey };
      const moving = await api.startService(anonymous);
      const finished = await api.startService(anonymous);
      await api.post(`/services/${finished}/end`).expect(204);
      await api.startService({ contact_key: contactKey }); // a customer's: never anonymous
      const [first, second] = [uniqueId('cust'), uniqueId('cust')];
      const list = async (path: string) => ids(await api.read(path));

      expect(await list(`/services/anonymous/${contactKey}`)).toEqual([moving, finished]);
      expect(await list(`/services/anonymous/${contactKey}/active`)).toEqual([moving]);
      expect(await list(`/services/anonymous/${contactKey}/completed`)).toEqual([finished]);

      await api.post(`/customers/${first}/services/${moving}`).expect(200);
      expect(await list(`/services/anonymous/${contactKey}`)).toEqual([finished]);
      expect(await list(`/services/anonymous/${contactKey}/active`)).toEqual([]);
      expect(await list(`/customers/${first}/services`)).toEqual([moving]);
      expect(await list(`/customers/${first}/services/active`)).toEqual([moving]);

      await api.post(`/customers/${second}/services/${moving}`, { Note: 'moved' }).expect(200);
      expect(await list(`/customers/${first}/services`)).toEqual([]);
      expect(await list(`/customers/${first}/services/active`)).toEqual([]);
      expect(await list(`/customers/${second}/services`)).toEqual([moving]);
      expect(await list(`/customers/${second}/services/active`)).toEqual([moving]);
      expect(await list(`/services/anonymous/${contactKey}`)).toEqual([finished]);
    });

    it('replaces the extensions its body names and keeps the others', async () => {
      const id = await api.startService({ Offer: { id: 1 }, Keep: true });
      const response = await api
        .post(`/customers/${uniqueId('cust')}/services/${id}`, { Offer: ['new'], Added: 2 })
        .expect(200);
      expect(response.body).toMatchObject({ Offer: ['new'], Keep: true, Added: 2 });
      expect(await api.read(`/services/${id}?extensions=*`)).toMatchObject({
        Offer: ['new'],
        Keep: true,
        Added: 2,
      });
    });

    it.each([
      ['a negative est_duration', { est_duration: -1 }],
      ['a boolean contact_key', { contact_key: true }],
      ['a bad extension name', { 'bad-name': 1 }],
    ])('rejects %s with 400 and leaves the service where it was', async (_name, body) => {
      const customer = uniqueId('cust');
      const id = await api.startService({ customer_id: customer });
      const response = await api.post(`/customers/${uniqueId('other')}/services/${id}`, body);
      expectError(response, 400, 'ValidationException');
      expect(ids(await api.read(`/customers/${customer}/services`))).toEqual([id]);
    });

    it('rejects a customer id over 64 characters with 400', async () => {
      const id = await api.startService();
      const response = await api.post(`/customers/${'c'.repeat(65)}/services/${id}`);
      expectError(response, 400, 'ValidationException');
    });
  });

  describe("a customer's services", () => {
    it('lists all, the active and the completed ones of that customer only', async () => {
      const customer = uniqueId('cust');
      const active = await api.startService({ customer_id: customer });
      const completed = await api.startService({ customer_id: customer, service_type: 'Support' });
      await api.post(`/services/${completed}/end`).expect(204);
      await api.startService();

      expect(ids(await api.read(`/customers/${customer}/services`))).toEqual([active, completed]);
      expect(ids(await api.read(`/customers/${customer}/services/active`))).toEqual([active]);
      expect(ids(await api.read(`/customers/${customer}/services/completed`))).toEqual([completed]);
    });

    it.each(['', '/active', '/completed'])(
      'answers an empty array for a customer without services (%s)',
      async (suffix) => {
        expect(await api.read(`/customers/${uniqueId('nobody')}/services${suffix}`)).toEqual([]);
      },
    );

    it('shows only anonymous services in the anonymous lists', async () => {
      const contactKey = uniqueId('+44');
      const anonymous = await api.startService({ customer_id: undefined, contact_key: contactKey });
      await api.startService({ contact_key: contactKey });
      expect(ids(await api.read(`/services/anonymous/${contactKey}`))).toEqual([anonymous]);
    });
  });

  describe("the tenant's services (GET /services)", () => {
    it('lists every active service oldest first, of every customer and contact key, filtered and paged', async () => {
      const tenant = api.as(uniqueId('worklist'));
      const old = await tenant.startService({ timestamp: minutesAgo(15) });
      const anonymous = await tenant.startService({
        customer_id: undefined,
        contact_key: uniqueId('+33'),
        timestamp: minutesAgo(8),
      });
      const support = await tenant.startService({ service_type: 'Support' });
      const done = await tenant.startService({ timestamp: minutesAgo(12) });
      await tenant.post(`/services/${done}/end`).expect(204);

      expect(ids(await tenant.read('/services?status=active'))).toEqual([old, anonymous, support]);
      expect(ids(await tenant.read('/services?status=completed'))).toEqual([done]);
      expect(ids(await tenant.read('/services'))).toEqual([old, done, anonymous, support]);
      expect(ids(await tenant.read('/services?status=active&service_types=Support'))).toEqual([
        support,
      ]);
      expect(
        ids(await tenant.read(`/services?status=active&started_to=${minutesAgo(10)}`)),
      ).toEqual([old]);
      expect(ids(await tenant.read('/services?status=active&limit=2&offset=1'))).toEqual([
        anonymous,
        support,
      ]);
      // Whole services, nested reads and extensions as every list gives them.
      const [first] = await tenant.read('/services?status=active&active_states=true&limit=1');
      expect(first).toMatchObject({ service_id: old, active_states: [] });
    });

    it('shows another tenant nothing, and refuses a bad status', async () => {
      await api.as(uniqueId('a')).startService();
      expect(await api.as(uniqueId('empty')).read('/services?status=active')).toEqual([]);
      expectError(await api.get('/services?status=open'), 400, 'ValidationException');
    });
  });

  describe('path ids', () => {
    const cases = SERVICE_OPERATIONS.flatMap(([name, method, path, body]) =>
      BAD_IDS.map((bad) => [name, bad, method, path, body] as const),
    );

    it.each(cases)('%s with service id %p is a 400', async (_name, bad, method, path, body) => {
      const response = await api.call(method, path.replace('{id}', bad), body);
      expectError(response, 400, 'ValidationException');
      expect(response.body.message).toMatch(/service_id/);
    });

    it.each(SERVICE_OPERATIONS)(
      '%s of an unknown service is a 404',
      async (_n, method, path, body) => {
        const response = await api.call(method, path.replace('{id}', '987654321'), body);
        expectError(response, 404, 'NotFoundException');
      },
    );
  });

  describe('tenancy', () => {
    let id: number;
    const other = () => api.as('t2');

    beforeAll(async () => {
      id = await api.as('t1').startService();
    });

    it.each(SERVICE_OPERATIONS)(
      '%s from another tenant is a 404',
      async (_name, method, path, body) => {
        const response = await other().call(method, path.replace('{id}', String(id)), body);
        expectError(response, 404, 'NotFoundException');
      },
    );

    it('leaves the service untouched for its own tenant', async () => {
      const service = await api.as('t1').read(`/services/${id}?extensions=*`);
      expect(service).not.toHaveProperty('completed');
      expect(service).not.toHaveProperty('Note');
      expect(service).not.toHaveProperty('expiration_time');
    });

    it('is invisible without the tenant header (the default tenant)', async () => {
      expectError(await api.get(`/services/${id}`), 404, 'NotFoundException');
    });

    it("does not list another tenant's services", async () => {
      const customer = uniqueId('cust');
      await api.as('t1').startService({ customer_id: customer });
      expect(await other().read(`/customers/${customer}/services`)).toEqual([]);
    });
  });
});
