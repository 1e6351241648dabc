import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { App } from 'supertest/types';
import {
  API,
  callOperation,
  concretePath,
  createJourney,
  label,
  Operation,
  RouteIds,
} from './support/api-routes';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

/** The statuses the OpenAPI document says each operation answers. */
async function documented(server: App): Promise<Map<string, Set<string>>> {
  const document = (await request(server).get('/docs-json').expect(200)).body as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  const statuses = new Map<string, Set<string>>();
  for (const [path, methods] of Object.entries(document.paths)) {
    if (!path.startsWith(`${API}/`)) continue;
    for (const [method, operation] of Object.entries(methods)) {
      const op = { method: method as Operation['method'], path: path.slice(API.length) };
      statuses.set(label(op), new Set(Object.keys(operation.responses)));
    }
  }
  return statuses;
}

const operationOf = (key: string): Operation => {
  const [method, path] = key.split(' ');
  return { method: method.toLowerCase() as Operation['method'], path };
};

/** Requests made from the document itself: the valid one, and each way of getting it wrong. */
function variants(server: App, op: Operation, ids: RouteIds, headers: Record<string, string>) {
  const url = `${API}${concretePath(op, ids)}`;
  const call = () => request(server)[op.method](url).set(headers);
  const list: [string, () => request.Test][] = [
    ['the valid request', () => callOperation(server, op, ids, headers)],
    [
      'a malformed tenant header',
      () => callOperation(server, op, ids, { ...headers, ContactCenterId: 'x'.repeat(65) }),
    ],
    [
      'a bad query',
      () => call().query({ limit: '0', extensions: 'Bad-Name', active_tasks: 'maybe' }),
    ],
  ];
  if (op.path.includes('{')) {
    const zero = op.path.replace(/\{\w+_id\}/g, '0');
    list.push([
      'a path id of 0',
      () => request(server)[op.method](`${API}${zero}`).set(headers).send({}),
    ]);
  }
  if (op.method === 'post' || op.method === 'put') {
    list.push(
      ['malformed JSON', () => call().set('Content-Type', 'application/json').send('{"a":')],
      [
        'a JSON value that is not an object',
        () => call().set('Content-Type', 'application/json').send('42'),
      ],
      ['an unknown field', () => call().send({ 'not-a-field': 1 })],
      [
        'a form body',
        () => call().set('Content-Type', 'application/x-www-form-urlencoded').send('a=1'),
      ],
      ['a body over the limit', () => call().send({ big: 'x'.repeat(2_000) })],
    );
  }
  return list;
}

describe('the OpenAPI document says every status each operation answers', () => {
  const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
  const reader = randomBytes(12).toString('hex');
  const configurations: [string, Record<string, string>, Record<string, string>][] = [
    ['by default', { BODY_LIMIT: '1kb' }, {}],
    ['with API_KEYS and no key', { API_KEYS: `r:reader:${sha256(reader)}` }, {}],
    [
      'with API_KEYS and a reader key',
      { API_KEYS: `r:reader:${sha256(reader)}` },
      { 'X-API-Key': reader },
    ],
    ['over RATE_LIMIT', { RATE_LIMIT: '1/h' }, {}],
  ];

  it.each(configurations)(
    '%s',
    async (_name, env, headers) => {
      const t: TestApp = await createTestApp({ env: { SWEEP_INTERVAL: '0', ...env } });
      try {
        const statuses = await documented(t.server);
        const seen: string[] = [];
        for (const [key, allowed] of statuses) {
          const op = operationOf(key);
          // A journey of its own; where the configuration refuses to make one, ids that exist nowhere.
          const ids = await createJourney(t.server, headers, uniqueId(), uniqueId()).catch(() => ({
            serviceId: 999_999_999,
            stateId: 999_999_999,
            taskId: 999_999_999,
            noteId: 999_999_999,
            customerId: uniqueId(),
            contactKey: uniqueId(),
          }));
          for (const [variant, send] of variants(t.server, op, ids, headers)) {
            const response = await send();
            const status = String(response.status);
            seen.push(status);
            expect([key, variant, allowed.has(status) ? 'documented' : status]).toEqual([
              key,
              variant,
              'documented',
            ]);
          }
        }
        expect(seen.length).toBeGreaterThan(100);
      } finally {
        await t.close();
      }
    },
    120_000,
  );
});
