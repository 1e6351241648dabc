import request from 'supertest';
import seed from './fixtures/composite-start.seed.json';
import { createTestApp, TestApp } from './support/test-app';

interface Operation {
  requestBody: {
    content: { 'application/json': { examples: Record<string, { value: unknown }> } };
  };
  responses: Record<
    string,
    { headers?: Record<string, unknown>; content?: Record<string, { schema: { $ref?: string } }> }
  >;
}

describe('health and API documentation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('reports the database up at /health (outside the API base path)', async () => {
    const response = await request(t.server).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('refuses to boot with an invalid setting, naming it', async () => {
    await expect(
      createTestApp({ env: { COMPOSITE_MAX_EVENTS: 'lots', LOG_LEVEL: 'loud' } }),
    ).rejects.toThrow(/COMPOSITE_MAX_EVENTS[\s\S]*LOG_LEVEL/);
  });

  it('does not advertise its framework', async () => {
    const response = await request(t.server).get('/health').expect(200);
    expect(response.headers).not.toHaveProperty('x-powered-by');
  });

  it('hashes no answer for an ETag: API reads are always fresh', async () => {
    const response = await request(t.server)
      .get('/genesys/1/cs/customers/nobody/services')
      .expect(200);
    expect(response.headers).not.toHaveProperty('etag');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(t.server).get('/docs/').expect(200);
    expect(response.text).toContain('swagger-ui');
  });

  describe('the OpenAPI document at /docs-json', () => {
    let composite: Operation;
    let document: { components: { schemas: Record<string, unknown> } };

    beforeAll(async () => {
      const response = await request(t.server).get('/docs-json').expect(200);
      document = response.body;
      composite = response.body.paths['/genesys/1/cs/services_composite/start'].post as Operation;
    });

    it('refers only to schemas it defines (nested bodies included: a client generator follows each)', () => {
      const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
      expect(refs.length).toBeGreaterThan(50);
      const missing = [...new Set(refs)]
        .map((ref) => ref.slice('"$ref":"#/components/schemas/'.length, -1))
        .filter((name) => !(name in document.components.schemas));
      expect(missing).toEqual([]);
    });

    it("offers the seed's example, verbatim, as the composite request example", () => {
      expect(composite.requestBody.content['application/json'].examples.seed.value).toEqual(seed);
    });

    it('documents the 200 response with its Location header', () => {
      expect(composite.responses['200'].headers).toHaveProperty('Location');
      expect(composite.responses['200'].content!['application/json'].schema.$ref).toMatch(
        /CompositeStartResponseDto$/,
      );
    });

    it.each(['400', '404', '409', '413', '415', '429', '500', '503'])(
      'documents the %s error with the shared schema',
      (code) => {
        expect(composite.responses[code].content!['application/json'].schema.$ref).toMatch(
          /ErrorResponseDto$/,
        );
      },
    );
  });
});
