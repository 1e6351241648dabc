import request from 'supertest';
import { BASE, useResourceApp } from '../support/resource-api';
import { uniqueId } from '../support/test-app';

/** Browser pages of other origins, as Genesys's demo page reads journeys with $.get (docs/API.md §6.2). */
/** A header's comma-separated list (either spacing is HTTP's). */
const list = (value: string | undefined) => (value ?? '').split(/\s*,\s*/);

describe('CORS', () => {
  const DESK = 'http://desk.example.test:8080';

  describe('with CORS_ORIGINS', () => {
    const { app } = useResourceApp({ env: { CORS_ORIGINS: `${DESK},https://wall.example.test` } });

    it('answers a preflight with the methods and the headers the API reads', async () => {
      const response = await request(app().server)
        .options(`${BASE}/services_composite/start`)
        .set('Origin', DESK)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,contactcenterid,x-api-key')
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(DESK);
      expect(list(response.headers['access-control-allow-methods'])).toEqual([
        'GET',
        'POST',
        'PUT',
        'DELETE',
      ]);
      expect(list(response.headers['access-control-allow-headers'])).toEqual([
        'Content-Type',
        'ContactCenterId',
        'GroupId',
        'Authorization',
        'X-API-Key',
        'X-Request-Id',
      ]);
    });

    it('lets a page of an allowed origin read Location and X-Request-Id', async () => {
      const response = await request(app().server)
        .post(`${BASE}/services/start`)
        .set('Origin', DESK)
        .send({ customer_id: uniqueId() })
        .expect(201);
      expect(response.headers['access-control-allow-origin']).toBe(DESK);
      expect(list(response.headers['access-control-expose-headers'])).toEqual([
        'Location',
        'X-Request-Id',
        'Retry-After',
      ]);
    });

    it('gives another origin no permission', async () => {
      const response = await request(app().server)
        .get(`${BASE}/customers/${uniqueId()}/services`)
        .set('Origin', 'http://elsewhere.example.test')
        .expect(200);
      expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    });
  });

  describe('without CORS_ORIGINS', () => {
    const { app } = useResourceApp();

    it('sends no CORS header at all', async () => {
      const response = await request(app().server)
        .get(`${BASE}/customers/${uniqueId()}/services`)
        .set('Origin', DESK)
        .expect(200);
      expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    });
  });
});
