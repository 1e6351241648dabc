import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { AppConfig, appConfig } from '../src/config/app-config';
import { JourneyScope } from '../src/journey/journey-scope';
import { EmbeddedStore } from '../src/database/embedded-store';
import { DataSource } from 'typeorm';
import { BASE, expectError, useResourceApp } from './support/resource-api';
import { uniqueId } from './support/test-app';

/** What a hostile client tried, and what it now gets (issue 11; docs/API.md §5, §7). */
/** Writes `head`, then `more()` every `everyMs` until the server closes: what it answered, and when. */
function trickled(
  base: string,
  head: string,
  more: () => string,
  everyMs: number,
): Promise<{ answer: string; elapsed: number }> {
  const url = new URL(base);
  const socket = connect(Number(url.port), url.hostname);
  const started = Date.now();
  return new Promise((resolve) => {
    let answer = '';
    const trickle = setInterval(() => socket.write(more()), everyMs);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => {
      clearInterval(trickle);
      resolve({ answer, elapsed: Date.now() - started });
    });
    socket.write(head);
  });
}

describe('hardening', () => {
  describe('bodies', () => {
    const { app, api } = useResourceApp();
    const post = (path: string) => request(app().server).post(`${BASE}${path}`);
    // Raw bytes go through fetch: supertest would re-encode them.
    let url: string;
    beforeAll(async () => {
      url = await app().listen();
    });

    it.each(['gzip', 'br', 'deflate'])(
      'answers a body that does not decompress as Content-Encoding %s says with 400, storing nothing',
      async (encoding) => {
        await api.expectRejected(
          post('/services/start')
            .set('Content-Type', 'application/json')
            .set('Content-Encoding', encoding)
            .send(JSON.stringify({ customer_id: uniqueId() })),
          400,
          'ValidationException',
        );
      },
    );

    it('reads a body that is compressed as it says', async () => {
      const customer = uniqueId();
      const response = await fetch(`${url}${BASE}/services/start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ customer_id: customer })),
      });
      expect(response.status).toBe(201);
      const { service_id } = (await response.json()) as { service_id: number };
      expect((await api.read(`/services/${service_id}`)).customer_id).toBe(customer);
    });

    it.each([
      ['a customer_id', { customer_id: 'x\ud800' }, 'customer_id'],
      ['a key of an extension value', { customer_id: 'c', Ext: { 'k\udc00': 1 } }, 'Ext.k\udc00'],
      ['an extension value', { customer_id: 'c', Ext: ['ok', 'bad\udfff'] }, 'Ext[1]'],
      ['an event field', { customer_id: 'c', media_type: '\ud83d' }, 'media_type'],
    ])(
      'refuses a lone surrogate in %s with 400 naming it, storing nothing',
      async (_what, body, path) => {
        const response = await api.expectRejected(
          api.post('/services/start', body),
          400,
          'ValidationException',
        );
        expect(response.body.details[0].path).toBe(path);
      },
    );

    it('keeps a well-formed pair of surrogates (an emoji) as it was sent', async () => {
      const customer = `${uniqueId()}-😀`;
      const service = await api.startService({ customer_id: customer });
      expect((await api.read(`/services/${service}`)).customer_id).toBe(customer);
    });

    it('refuses raw bytes that are not valid UTF-8 with 400, rather than replacing them', async () => {
      const bytes = Buffer.concat([
        Buffer.from('{"customer_id":"x'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]);
      const response = await fetch(`${url}${BASE}/services/start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: bytes,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain('UTF-8');
    });
  });

  describe('time runs forwards', () => {
    const { api } = useResourceApp();
    const started = '2026-06-01T10:00:00.000Z';
    const before = '2026-06-01T09:59:59.999Z';

    it.each(['service', 'state', 'task'] as const)(
      'refuses to end a %s before its start, naming timestamp',
      async (kind) => {
        const service = await api.startService({ timestamp: started });
        const path =
          kind === 'service'
            ? `/services/${service}`
            : kind === 'state'
              ? `/services/${service}/states/${await api.startState(service, { timestamp: started })}`
              : `/services/${service}/tasks/${await api.startTask(service, { timestamp: started })}`;
        const response = await api.expectRejected(
          api.post(`${path}/end`, { timestamp: before }),
          400,
          'ValidationException',
        );
        expect(response.body.details[0].path).toBe('timestamp');
        expect(await api.read(path)).not.toHaveProperty('completed');
        await api.post(`${path}/end`, { timestamp: started }).expect(204);
      },
    );

    it.each([
      ['a state', 'states/start', { state_type: 'A' }],
      ['a task', 'tasks/start', { task_type: 'T' }],
      ['a transition', 'states/transition', { to: { state_type: 'B' } }],
    ])('refuses %s starting before its service, naming timestamp', async (_name, path, body) => {
      const service = await api.startService({ timestamp: started });
      const from = await api.startState(service, { timestamp: started });
      const full = path === 'states/transition' ? { ...body, from: { state_id: from } } : body;
      const response = await api.expectRejected(
        api.post(`/services/${service}/${path}`, { ...full, timestamp: before }),
        400,
        'ValidationException',
      );
      expect(response.body.details[0].path).toBe('timestamp');
    });

    it('refuses composite start of a state or task before its service, naming the field', async () => {
      const customer = uniqueId();
      const event = (state: object) => ({
        services: [
          {
            service: { customer_id: customer, service_type: 'S', timestamp: started },
            state: { state_type: 'A', ...state },
          },
        ],
      });
      const fresh = await api.expectRejected(
        api.post('/services_composite/start', event({ timestamp: before })),
        400,
        'ValidationException',
      );
      expect(fresh.body.details[0].path).toBe('services[0].state.timestamp');
      await api.post('/services_composite/start', event({})).expect(200);
      // A new state of the found service, before that service's start.
      const found = await api.expectRejected(
        api.post('/services_composite/start', event({ state_type: 'B', timestamp: before })),
        400,
        'ValidationException',
      );
      expect(found.body.details[0].path).toBe('services[0].state.timestamp');
    });
  });

  describe('prototype names inside extension values', () => {
    const { api } = useResourceApp();
    const hostile = {
      constructor: { prototype: { polluted: true } },
      prototype: { polluted: true },
      toString: 'data',
      hasOwnProperty: 1,
    };

    it('stores constructor, prototype and other inherited names as data, never on a prototype', async () => {
      const service = await api.startService({ Form: hostile });
      const state = await api.startState(service, { Notes: [hostile] });
      await api.put(`/services/${service}/extensions/Raw`, hostile).expect(200);
      await api.put(`/services/${service}/extensions/Form/merge`, { valueOf: 2 }).expect(200);
      const read = await api.read(`/services/${service}?extensions=*`);
      expect(read.Form).toEqual({ ...hostile, valueOf: 2 });
      expect(read.Raw).toEqual(hostile);
      expect((await api.read(`/services/${service}/states/${state}?extensions=*`)).Notes).toEqual([
        hostile,
      ]);
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it.each(['constructor', 'prototype', 'toString'])(
      'still refuses %s as the name of an extension',
      async (name) => {
        const response = await api.expectRejected(
          api.post('/services/start', { customer_id: uniqueId(), [name]: 1 }),
          400,
          'ValidationException',
        );
        expect(response.body.details[0].path).toBe(name);
        expectError(await api.put(`/services/1/extensions/${name}`, 1), 400, 'ValidationException');
      },
    );
  });

  describe('extension totals per object', () => {
    const { api } = useResourceApp({
      env: {
        EXTENSION_MAX_TOTAL_BYTES: '1000',
        EXTENSION_MAX_COUNT: '3',
        EXTENSION_MAX_BYTES: '600',
      },
    });
    const text = (bytes: number) => 'x'.repeat(bytes);

    it('refuses a start whose extensions together are over the total, naming the limit', async () => {
      const response = await api.expectRejected(
        api.post('/services/start', { customer_id: uniqueId(), A: text(500), B: text(500) }),
        400,
        'ValidationException',
      );
      expect(response.body.message).toContain('EXTENSION_MAX_TOTAL_BYTES');
    });

    it('refuses the extension write that would pass the total or the count, keeping the others', async () => {
      const service = await api.startService({ A: text(400) });
      await api.put(`/services/${service}/extensions/B`, text(400)).expect(200);
      const over = await api.put(`/services/${service}/extensions/C`, text(400));
      expectError(over, 400, 'ValidationException');
      expect(over.body.message).toContain('EXTENSION_MAX_TOTAL_BYTES');
      await api.put(`/services/${service}/extensions/C`, 1).expect(200);
      const many = await api.put(`/services/${service}/extensions/D`, 1);
      expectError(many, 400, 'ValidationException');
      expect(many.body.message).toContain('EXTENSION_MAX_COUNT');
      expect(Object.keys(await api.read(`/services/${service}?extensions=*`))).toEqual(
        expect.arrayContaining(['A', 'B', 'C']),
      );
    });

    it('never lets concurrent writers overshoot the total together', async () => {
      const service = await api.startService();
      const writes = await Promise.all(
        ['P', 'Q', 'R'].map((name) =>
          api.put(`/services/${service}/extensions/${name}`, text(450)),
        ),
      );
      expect(writes.map((w) => w.status).sort()).toEqual([200, 200, 400]);
      const read = await api.read(`/services/${service}?extensions=*`);
      expect(Buffer.byteLength(JSON.stringify(read), 'utf8')).toBeLessThan(1000 + 500);
    });

    it('applies the total to an end event replacing extensions too', async () => {
      const service = await api.startService({ A: text(500) });
      const response = await api.post(`/services/${service}/end`, { B: text(550) });
      expectError(response, 400, 'ValidationException');
      expect(await api.read(`/services/${service}`)).not.toHaveProperty('completed');
    });
  });

  describe('HTTP hygiene', () => {
    const { app } = useResourceApp({ env: { HTTP_REQUEST_TIMEOUT_MS: '1500' } });

    it('sends nosniff, refuses framing by other origins, and keeps Swagger UI under its policy', async () => {
      for (const path of [`${BASE}/customers/${uniqueId()}/services`, '/docs/']) {
        const response = await request(app().server).get(path).expect(200);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      }
    });

    it('answers a path that is not a valid URL, or a path segment past 4,096 characters, in the envelope', async () => {
      const broken = await request(app().server).get(`${BASE}/services/%zz`).expect(400);
      expect(broken.body).toMatchObject({
        exception: 'ValidationException',
        message: expect.stringContaining('not a valid URL'),
        request_id: broken.headers['x-request-id'],
      });
      const long = await request(app().server)
        .get(`${BASE}/customers/${'x'.repeat(4097)}/services`)
        .expect(414);
      expect(long.body).toMatchObject({ statusCode: 414, exception: 'UriTooLongException' });
      // At the limit it is an ordinary key, whose length validation judges.
      await request(app().server)
        .get(`${BASE}/customers/${'x'.repeat(4096)}/services`)
        .expect(400);
    });

    it('cuts off a body trickled slower than HTTP_REQUEST_TIMEOUT_MS', async () => {
      const { answer, elapsed } = await trickled(
        await app().listen(),
        `POST ${BASE}/services/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
        () => ' ',
        200,
      );
      expect(elapsed).toBeLessThan(10_000);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    });
  });
});

describe('hardening: lock races past the retry budget', () => {
  const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), {
    driverError: { errno: 1213 },
  });
  let attempts = 0;
  const { api } = useResourceApp({
    env: { DB_RETRY_ATTEMPTS: '3', DB_RETRY_BUDGET_MS: '2000' },
    override: (builder) =>
      builder.overrideProvider(JourneyScope).useFactory({
        factory: (config: AppConfig) => {
          const scope = new JourneyScope(config);
          // Every attempt to record activity in a service loses a lock race.
          scope.touchService = () => {
            attempts += 1;
            return Promise.reject(deadlock);
          };
          return scope;
        },
        inject: [appConfig.KEY],
      }),
  });

  it('answers 503 with Retry-After after DB_RETRY_ATTEMPTS, never 500, changing nothing', async () => {
    const service = await api.startService();
    const state = await api.startState(service);
    attempts = 0;
    const response = await api.expectRejected(
      api.put(`/services/${service}/states/${state}/extensions/Note/merge`, { a: 1 }),
      503,
      'ServiceUnavailableException',
    );
    expect(attempts).toBe(3);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.message).toContain('may be retried');
  });
});

describe('hardening: a full disk under the embedded database', () => {
  const directory = mkdtempSync(join(tmpdir(), 'cs-full-disk-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  let full = false;
  const { app, api } = useResourceApp({
    databaseUrl: `sqlite:${join(directory, 'journeys.sqlite')}`,
    override: (builder) =>
      builder.overrideProvider(EmbeddedStore).useFactory({
        factory: (dataSource: DataSource) => {
          const store = new EmbeddedStore(dataSource);
          const write = store.writeImage.bind(store);
          store.writeImage = (file, image) =>
            full
              ? Promise.reject(
                  Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
                )
              : write(file, image);
          return store;
        },
        inject: [DataSource],
      }),
  });

  it('answers 503, stores nothing, and /health says down until a write succeeds again', async () => {
    await api.startService();
    await request(app().server).get('/health').expect(200);
    full = true;
    const customer = uniqueId();
    const refused = await api.expectRejected(
      api.post('/services/start', { customer_id: customer }),
      503,
      'ServiceUnavailableException',
    );
    expect(refused.headers['retry-after']).toBe('1');
    const health = await request(app().server).get('/health').expect(503);
    expect(health.body.message).toContain('storage');
    expect(await api.read(`/customers/${customer}/services`)).toEqual([]);
    full = false;
    await api.startService();
    await request(app().server).get('/health').expect(200);
  });
});

describe('hardening: headers cut at HTTP_HEADERS_TIMEOUT_MS', () => {
  const { app } = useResourceApp({ env: { HTTP_HEADERS_TIMEOUT_MS: '2000' } });

  it('closes a connection whose headers are trickled, within a second of the setting', async () => {
    // One header line every 300 ms: always something new, never the end of the headers.
    let line = 0;
    const { answer, elapsed } = await trickled(
      await app().listen(),
      `GET ${BASE}/services/1 HTTP/1.1\r\nHost: x\r\n`,
      () => `X-Slow-${(line += 1)}: y\r\n`,
      300,
    );
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(3000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
