import request from 'supertest';
import { createTestApp, rowCounts, TestApp, TestAppOptions, uniqueId } from './test-app';
import { API_BASE_PATH } from '../../src/http/api-base-path';

export const BASE = API_BASE_PATH;

/** A timestamp as the API returns it: ISO 8601, UTC, milliseconds. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The resource API of one tenant (the default one without `tenant`), with shortcuts that start a service,
 * state or task and return its id. Bodies are always sent as JSON text, so that strings, arrays and numbers
 * can be sent as bodies too.
 */
export class ResourceApi {
  constructor(
    private readonly app: () => TestApp,
    private readonly tenant?: string,
  ) {}

  /** The same API as seen by another tenant (`ContactCenterId`). */
  as(tenant: string): ResourceApi {
    return new ResourceApi(this.app, tenant);
  }

  call(method: Method, path: string, body?: unknown): request.Test {
    return body === undefined
      ? this.request(method, path)
      : this.raw(method, path, JSON.stringify(body));
  }

  /** A body exactly as written: numbers JSON.stringify cannot write (`1e400`, `12345678901234567890`). */
  raw(method: Method, path: string, text: string): request.Test {
    return this.request(method, path).type('json').send(text);
  }

  private request(method: Method, path: string): request.Test {
    const test = request(this.app().server)[method](`${BASE}${path}`);
    return this.tenant === undefined ? test : test.set('ContactCenterId', this.tenant);
  }

  get(path: string): request.Test {
    return this.call('get', path);
  }

  post(path: string, body?: unknown): request.Test {
    return this.call('post', path, body);
  }

  put(path: string, body?: unknown): request.Test {
    return this.call('put', path, body);
  }

  delete(path: string): request.Test {
    return this.call('delete', path);
  }

  /** Starts a service with a customer of its own (unless the body says otherwise); its id. */
  startService(body: object = {}): Promise<number> {
    const event = { customer_id: uniqueId(), service_type: 'Sales', ...body };
    return this.started('/services/start', event, 'service_id');
  }

  startState(serviceId: number, body: object = {}): Promise<number> {
    const event = { state_type: 'Identify', ...body };
    return this.started(`/services/${serviceId}/states/start`, event, 'state_id');
  }

  startTask(serviceId: number, body: object = {}): Promise<number> {
    const event = { task_type: 'Verify', ...body };
    return this.started(`/services/${serviceId}/tasks/start`, event, 'task_id');
  }

  private async started(path: string, event: object, idKey: string): Promise<number> {
    const response = await this.post(path, event).expect(201);
    return response.body[idKey] as number;
  }

  /** Sends the request and asserts it is answered with that error and stored nothing; the response. */
  async expectRejected(
    test: request.Test,
    status: number,
    exception: string,
  ): Promise<request.Response> {
    // A supertest request is sent only when awaited: count before it leaves.
    const before = await rowCounts(this.app().dataSource);
    const response = await test;
    expectError(response, status, exception);
    expect(await rowCounts(this.app().dataSource)).toEqual(before);
    return response;
  }

  /** The body of a GET that must answer 200. */
  async read(path: string) {
    const response = await this.get(path).expect(200);
    return response.body;
  }
}

/**
 * A fresh application for the enclosing describe block (started before its tests, closed after them) and
 * its resource API, usable from the first test on.
 */
export function useResourceApp(options: TestAppOptions = {}) {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await createTestApp(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const app = (): TestApp => {
    if (!started) throw new Error('the test application has not started');
    return started;
  };
  return { app, api: new ResourceApi(app) };
}

/** The 500 answer to an unexpected failure: the shared envelope, saying nothing internal. */
export function expectInternalError(response: request.Response): void {
  expect(response.status).toBe(500);
  expect(response.body).toEqual({
    statusCode: 500,
    error: 'Internal Server Error',
    exception: 'InternalServerErrorException',
    message: 'internal server error',
    request_id: expect.any(String),
  });
}

/** The shared error envelope (docs/API.md §7) with that status and exception name. */
export function expectError(response: request.Response, status: number, exception: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({
    statusCode: status,
    exception,
    message: expect.any(String),
    request_id: expect.any(String),
  });
}

/** The paths, under one service, of a state or task id. */
export const paths = {
  service: (s: number) => `/services/${s}`,
  state: (s: number, id: number) => `/services/${s}/states/${id}`,
  task: (s: number, id: number) => `/services/${s}/tasks/${id}`,
};

export type Method = 'get' | 'post' | 'put' | 'delete';

/** An operation of the table-driven tests: name, method, path with `{id}`, body (undefined for none). */
export type Operation = [string, Method, string, unknown];

/** The state or task operations that take a child id in their path (docs/API.md §4.2, §4.3). */
export function childOperations(kind: 'states' | 'tasks'): Operation[] {
  return [
    ['get', 'get', `/${kind}/{id}`, undefined],
    ['end', 'post', `/${kind}/{id}/end`, { disposition: 'done' }],
    ['replace an extension', 'put', `/${kind}/{id}/extensions/Note`, [1]],
    ['merge into an extension', 'put', `/${kind}/{id}/extensions/Note/merge`, { a: 1 }],
  ];
}

/**
 * The path-id rules of every operation on one state or task: a path id that is not a positive integer is
 * a 400, an unknown id a 404, and so is the id of a child of another service (which stays unchanged).
 */
export function describeChildPathIds(kind: 'states' | 'tasks', api: ResourceApi): void {
  const idName = kind === 'states' ? 'state_id' : 'task_id';
  const operations = childOperations(kind);
  const start = (api: ResourceApi, service: number, body: object) =>
    kind === 'states' ? api.startState(service, body) : api.startTask(service, body);
  const call = (service: number, [, method, path, body]: Operation, id: number | string) =>
    api.call(method, `/services/${service}${path.replace('{id}', String(id))}`, body);

  describe(`${idName} in the path`, () => {
    const badIds = operations.flatMap((operation) =>
      ['abc', '0', '-1'].map((bad) => [operation[0], bad, operation] as const),
    );

    it.each(badIds)(`%s with ${idName} %p is a 400`, async (_name, bad, operation) => {
      const response = await call(await api.startService(), operation, bad);
      expectError(response, 400, 'ValidationException');
      expect(response.body.message).toContain(idName);
    });

    it.each(operations.map((operation) => [operation[0], operation] as const))(
      `%s of an unknown ${idName} is a 404`,
      async (_name, operation) => {
        const response = await call(await api.startService(), operation, 987654321);
        expectError(response, 404, 'NotFoundException');
      },
    );

    it.each(operations.map((operation) => [operation[0], operation] as const))(
      `%s of a ${idName} of another service is a 404, leaving it unchanged`,
      async (_name, operation) => {
        const owner = await api.startService();
        const id = await start(api, owner, { Note: { kept: true } });
        const response = await call(await api.startService(), operation, id);
        expectError(response, 404, 'NotFoundException');
        const unchanged = await api.read(`/services/${owner}/${kind}/${id}?extensions=*`);
        expect(unchanged).not.toHaveProperty('completed');
        expect(unchanged.Note).toEqual({ kept: true });
      },
    );
  });
}
