import { expectError, useResourceApp } from '../support/resource-api';
import { uniqueId } from '../support/test-app';

/**
 * How Genesys Context Services 8.5 clients send their bodies (docs/API.md §2, §8): the start body again to
 * complete, every start field to associate, dispositions at start, and integers as strings.
 */
describe('Genesys bodies', () => {
  const { api } = useResourceApp();

  describe('completion with the start body again', () => {
    it('completes a service: identity fields change nothing, event fields and extensions as an end', async () => {
      const start = {
        customer_id: uniqueId(),
        service_type: 'Sales',
        contact_key: '+3312',
        est_duration: 60,
        auto_complete_after: 600,
        media_type: 'voice',
        Offer: [1],
      };
      const service = await api.startService(start);
      await api
        .post(`/services/${service}/end`, {
          ...start,
          service_type: 'Other',
          customer_id: 'someone-else',
          media_type: 'chat',
          Offer: [2],
        })
        .expect(204);
      expect(await api.read(`/services/${service}?extensions=*`)).toMatchObject({
        service_type: 'Sales',
        customer_id: start.customer_id,
        est_duration: 60,
        started: { media_type: 'voice' },
        completed: { media_type: 'chat' },
        Offer: [2],
      });
    });

    it('completes a state and a task with their start bodies', async () => {
      const service = await api.startService();
      const stateBody = { state_type: 'Identify', est_duration: 5, application_type: 'IVR' };
      const state = await api.startState(service, stateBody);
      const taskBody = { task_type: 'Verify', state_id: state, est_duration: 3 };
      const task = await api.startTask(service, taskBody);
      await api.post(`/services/${service}/tasks/${task}/end`, taskBody).expect(204);
      await api
        .post(`/services/${service}/states/${state}/end`, {
          ...stateBody,
          state_type: 'Renamed',
          previous_state_id: 999,
        })
        .expect(204);
      expect(await api.read(`/services/${service}/states/${state}`)).toMatchObject({
        state_type: 'Identify',
        completed: { application_type: 'IVR' },
      });
      expect(await api.read(`/services/${service}/tasks/${task}`)).toMatchObject({
        task_type: 'Verify',
        state_id: state,
        completed: expect.any(Object),
      });
    });

    it('still checks those fields like a start does', async () => {
      const service = await api.startService();
      await api.expectRejected(
        api.post(`/services/${service}/end`, { est_duration: -1 }),
        400,
        'ValidationException',
      );
      const state = await api.startState(service);
      const response = await api.post(`/services/${service}/states/${state}/end`, {
        state_type: { not: 'a type' },
      });
      expectError(response, 400, 'ValidationException');
      expect(response.body.details[0].path).toBe('state_type');
      expect(await api.read(`/services/${service}/states/${state}`)).not.toHaveProperty(
        'completed',
      );
    });

    it('keeps completing twice a 409', async () => {
      const service = await api.startService();
      await api.post(`/services/${service}/end`, { service_type: 'Sales' }).expect(204);
      expectError(await api.post(`/services/${service}/end`), 409, 'ConflictException');
    });
  });

  describe('dispositions at start', () => {
    it('stores a start disposition, which an end disposition replaces and a plain end keeps', async () => {
      const service = await api.startService();
      const kept = await api.startTask(service, {
        disposition: 'pending',
        disposition_desc: 'callback',
      });
      const replaced = await api.startTask(service, { disposition: 'pending' });
      await api.post(`/services/${service}/tasks/${kept}/end`).expect(204);
      await api
        .post(`/services/${service}/tasks/${replaced}/end`, { disposition: 'done' })
        .expect(204);
      expect(await api.read(`/services/${service}/tasks/${kept}`)).toMatchObject({
        disposition: 'pending',
        disposition_desc: 'callback',
      });
      const read = await api.read(`/services/${service}/tasks/${replaced}`);
      expect(read).toMatchObject({ disposition: 'done' });
      expect(read).not.toHaveProperty('disposition_desc');
    });

    it("keeps a child's own disposition when its service's completion cascades to it", async () => {
      const service = await api.startService();
      const state = await api.startState(service, { disposition: 'greeted' });
      await api.post(`/services/${service}/end`, { disposition: 'resolved' }).expect(204);
      expect(await api.read(`/services/${service}/states/${state}`)).toMatchObject({
        disposition: 'greeted',
        completed: expect.any(Object),
      });
    });

    it('creates composite objects with the dispositions of their events', async () => {
      const response = await api
        .post('/services_composite/start', {
          services: [
            {
              service: { customer_id: uniqueId(), service_type: 'S', disposition: 'new' },
              state: { state_type: 'A', disposition: 'entered' },
              task: { task_type: 'T', disposition: 'queued', disposition_desc: 'first' },
            },
          ],
        })
        .expect(200);
      const [{ service, task }] = response.body.services;
      expect(await api.read(`/services/${service.service_id}`)).toMatchObject({
        disposition: 'new',
      });
      expect(await api.read(`/services/${service.service_id}/tasks/${task.task_id}`)).toMatchObject(
        { disposition: 'queued', disposition_desc: 'first' },
      );
    });
  });

  describe('association with start fields', () => {
    it('updates every start field it is given, and keeps the rest', async () => {
      const service = await api.startService({
        customer_id: undefined,
        contact_key: '+33999',
        media_type: 'voice',
        session_id: 'S1',
      });
      const customer = uniqueId();
      const response = await api
        .post(`/customers/${customer}/services/${service}`, {
          customer_id: customer,
          interaction_id: 'I-77',
          application_type: 'Desktop',
          media_type: 'chat',
          est_duration: 120,
          disposition: 'identified',
          Note: 'vip',
        })
        .expect(200);
      expect(response.body).toMatchObject({
        service_id: service,
        customer_id: customer,
        contact_key: '+33999',
        est_duration: 120,
        disposition: 'identified',
        started: {
          session_id: 'S1',
          interaction_id: 'I-77',
          application_type: 'Desktop',
          media_type: 'chat',
        },
        Note: 'vip',
      });
    });

    it("refuses a body customer_id that is not the path's, changing nothing", async () => {
      const service = await api.startService({ customer_id: undefined, contact_key: '+33888' });
      const response = await api.expectRejected(
        api.post(`/customers/${uniqueId()}/services/${service}`, { customer_id: 'other' }),
        400,
        'ValidationException',
      );
      expect(response.body.details[0].path).toBe('customer_id');
      expect(await api.read(`/services/${service}`)).not.toHaveProperty('customer_id');
    });
  });

  describe('integers as strings, booleans as strings', () => {
    it('reads integer-valued strings in every integer field', async () => {
      const service = await api.startService({
        est_duration: '60',
        ttl: '3600',
        auto_complete_after: '900',
        application_id: '40',
        resource_id: '0',
      });
      const state = await api.startState(service, { est_duration: '5' });
      const next = await api.startState(service, { previous_state_id: String(state) });
      const task = await api.startTask(service, { state_id: `${next}` });
      const transition = await api
        .post(`/services/${service}/states/transition`, {
          from: { state_id: String(next) },
          to: { state_type: 'Queue', est_duration: '30' },
        })
        .expect(201);
      expect(await api.read(`/services/${service}`)).toMatchObject({
        est_duration: 60,
        started: { application_id: 40, resource_id: 0 },
      });
      expect(await api.read(`/services/${service}/tasks/${task}`)).toMatchObject({
        state_id: next,
      });
      expect(
        await api.read(`/services/${service}/states/${transition.body.state_id as number}`),
      ).toMatchObject({ previous_state_id: next, est_duration: 30 });
    });

    it.each(['12.5', ' 12', '1e3', '', '0x10', '12 '])('refuses %j as an integer', async (text) => {
      const service = await api.startService();
      const response = await api.expectRejected(
        api.post(`/services/${service}/states/start`, { state_type: 'A', est_duration: text }),
        400,
        'ValidationException',
      );
      expect(response.body.details[0].path).toBe('est_duration');
    });

    it('reads "true" and "false" in bodies and query strings', async () => {
      const customer = uniqueId();
      const body = (flag: string) => ({
        services: [
          {
            service: { customer_id: customer, service_type: 'S' },
            state: { state_type: 'A' },
            task: { task_type: 'T' },
            associate_state_task: flag,
          },
        ],
      });
      await api.post('/services_composite/start', body('true')).expect(200);
      const second = await api.post('/services_composite/start', body('false')).expect(200);
      const serviceId = second.body.services[0].service.service_id as number;
      const read = await api.read(
        `/services/${serviceId}?active_states=true&active_tasks=true&completed_tasks=false`,
      );
      expect(read.active_tasks).toHaveLength(2);
      expect(read.active_states).toHaveLength(1);
      expect(read).not.toHaveProperty('completed_tasks');
    });
  });

  describe('integers in ids and codes (docs/API.md §2.1)', () => {
    it("takes Genesys's Start Task example, interaction_id 42, and stores it as text", async () => {
      const service = await api.startService();
      const task = await api.startTask(service, { task_type: 'Verify', interaction_id: 42 });
      expect(await api.read(`/services/${service}/tasks/${task}`)).toMatchObject({
        started: { interaction_id: '42' },
      });
    });

    it('takes an integer in every such field of a service, every digit of one past 2^53', async () => {
      const customer = BigInt(Date.now()) * 10_000_000n + BigInt(Math.floor(Math.random() * 1e7));
      const body =
        `{"customer_id":${customer},"contact_key":33123456789,"service_type":7,` +
        `"session_id":12345678901234567890,"interaction_id":-5,"media_type":1,"disposition":3}`;
      const started = await api.raw('post', '/services/start', body).expect(201);
      const service = started.body.service_id as number;
      expect(await api.read(`/services/${service}`)).toMatchObject({
        customer_id: String(customer),
        contact_key: '33123456789',
        service_type: '7',
        disposition: '3',
        started: { session_id: '12345678901234567890', interaction_id: '-5', media_type: '1' },
      });
      // The same customer as text finds the same service: the integer is its decimal text.
      const found = await api.get(`/customers/${customer}/services`).expect(200);
      expect((found.body as { service_id: number }[]).map((s) => s.service_id)).toEqual([service]);
      const composite = await api
        .raw(
          'post',
          '/services_composite/start',
          `{"services":[{"service":{"customer_id":${customer},"contact_key":33123456789,"service_type":7},` +
            '"state":{"state_type":1}}]}',
        )
        .expect(200);
      expect(composite.body.services[0].service).toEqual({ service_id: service, created: 'false' });
    });

    it('refuses an integer past 2^53 where an object, a boolean or a timestamp belongs', async () => {
      const big = '12345678901234567890';
      const response = await api
        .raw(
          'post',
          '/services_composite/start',
          `{"services":[{"service":${big},"state":{"state_type":"S","timestamp":${big}},"associate_state_task":${big}}]}`,
        )
        .expect(400);
      expect(response.body.details).toEqual(
        expect.arrayContaining([
          { path: 'services[0].service', problem: 'must be a JSON object' },
          {
            path: 'services[0].state.timestamp',
            problem: expect.stringContaining('must be an ISO 8601 timestamp'),
          },
          {
            path: 'services[0].associate_state_task',
            problem: expect.stringContaining('true or false'),
          },
        ]),
      );
    });

    it('reads an integer written with an exponent or a point as the integer it is', async () => {
      const service = (
        await api
          .raw(
            'post',
            '/services/start',
            `{"customer_id":"${uniqueId()}","interaction_id":1e3,"session_id":7.0}`,
          )
          .expect(201)
      ).body.service_id as number;
      expect(await api.read(`/services/${service}`)).toMatchObject({
        started: { interaction_id: '1000', session_id: '7' },
      });
    });

    it.each([
      ['a decimal', '1.5'],
      ['a boolean', 'true'],
      ['an object', '{"id":1}'],
      ['an array', '[1]'],
      ['a decimal with an exponent', '1.25e1'],
    ])('refuses %s in an id with a 400 naming it, storing nothing', async (_, value) => {
      const customer = uniqueId('c');
      const response = await api
        .raw('post', '/services/start', `{"customer_id":"${customer}","interaction_id":${value}}`)
        .expect(400);
      expect(response.body.details).toEqual([
        { path: 'interaction_id', problem: 'must be a string or an integer' },
      ]);
      expect((await api.get(`/customers/${customer}/services`).expect(200)).body).toEqual([]);
    });
  });
});
