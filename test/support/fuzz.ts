import fc from 'fast-check';
import request from 'supertest';
import { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { rowCounts } from './test-app';

/** Fixed so that every run sends the same bodies; fast-check prints it (and the failing case) on failure. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261127);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1600);

/** Text of 1..maxLength printable ASCII characters. */
export const text = (maxLength: number) =>
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength });
/** A "type" field value: a string or an integer (docs/API.md §2.1). */
export const typeValue = fc.oneof(text(20), fc.nat({ max: 1_000_000 }));
/** An ISO 8601 UTC timestamp with milliseconds. */
export const timestamp = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString());
/** Extension values without the one key the service refuses anywhere (`constructor` & co. are data). */
export const extensionValue = fc
  .jsonValue({ maxDepth: 2 })
  .filter((value) => !JSON.stringify(value).includes('"__proto__"'));
const extensions = fc.dictionary(fc.stringMatching(/^X[A-Za-z0-9_]{0,20}$/), extensionValue, {
  maxKeys: 2,
});
/**
 * Time runs forwards (docs/API.md §2.1): valid bodies start services in the past, and start or end
 * anything else later than any of them, so that no valid body is refused for its order in time.
 */
const pastTimestamp = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2020-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString());
const laterTimestamp = fc
  .date({
    min: new Date(Date.now() + 86_400_000),
    max: new Date('2100-01-01'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());
/** The common event fields of docs/API.md §2.1 (resource fields are left out: the composite fuzz never sent them). */
export const eventFields = {
  session_id: text(32),
  interaction_id: text(50),
  application_type: typeValue,
  application_id: fc.nat(),
  media_type: typeValue,
  timestamp: laterTimestamp,
};
/** The event fields of a service's start, which comes before everything in it. */
export const serviceEventFields = { ...eventFields, timestamp: pastTimestamp };
/** A body's own fields with up to two extensions beside them. */
export const withExtensions = <T extends object>(fields: fc.Arbitrary<T>) =>
  fc.tuple(fields, extensions).map(([own, extra]) => ({ ...extra, ...own }));
/** An end event (docs/API.md §2.5), with its extensions. */
export const endEvent = withExtensions(
  fc.record(
    { disposition: typeValue, disposition_desc: text(64), ...eventFields },
    { requiredKeys: [] },
  ),
);

/** One request body: the JSON text to send, and whether it is valid by construction (then it must pass). */
/** Composite start bodies that docs/API.md §3 accepts. */
export const validComposite = fc.record({
  services: fc.array(
    fc.record(
      {
        service: withExtensions(
          fc.record(
            {
              customer_id: text(64),
              service_type: typeValue,
              contact_key: text(128),
              est_duration: fc.nat(),
              ...serviceEventFields,
            },
            { requiredKeys: ['customer_id', 'service_type'] },
          ),
        ),
        state: withExtensions(
          fc.record({ state_type: typeValue, ...eventFields }, { requiredKeys: ['state_type'] }),
        ),
        task: withExtensions(
          fc.record({ task_type: typeValue, ...eventFields }, { requiredKeys: ['task_type'] }),
        ),
        associate_state_task: fc.constantFrom(true, false, 'true', 'false'),
      },
      { requiredKeys: ['service', 'state'] },
    ),
    { minLength: 1, maxLength: 3 },
  ),
});

export interface FuzzBody {
  text: string;
  valid: boolean;
}

/** JSON nested `depth` levels deep, alternating objects and arrays. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { n: value };
  return value;
}

/** Values that most fields refuse: wrong types, extreme numbers, odd or over-long text, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.000001,
    1e308,
    -1e308,
    2 ** 53 + 1,
    '',
    ' ',
    'true',
    '2026-02-30T10:00:00.000Z',
    [],
    {},
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 33, max: 70_000 }).map((length) => 'x'.repeat(length)),
  fc.integer({ min: 2, max: 300 }).map(nested),
  fc.jsonValue({ maxDepth: 3 }),
);

/** The API names that composite bodies are built of (the default names of `fuzzBodies`). */
export const COMPOSITE_NAMES = [
  'services',
  'service',
  'state',
  'task',
  'associate_state_task',
  'service_id',
  'created',
];

/** Keys that reach object prototypes, shadow built-ins, repeat API names, or are not names at all. */
export function hostileKey(apiNames: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      ...apiNames,
      '',
    ),
    fc.string({ unit: 'grapheme', maxLength: 70 }),
  );
}

type Mutation =
  { op: 'replace'; value: unknown } | { op: 'delete' } | { op: 'add'; key: string; value: unknown };

const mutation = (keys: fc.Arbitrary<string>): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ op: fc.constant('replace' as const), value: hostileValue }),
    fc.record({ op: fc.constant('delete' as const) }),
    fc.record({ op: fc.constant('add' as const), key: keys, value: hostileValue }),
  );

type Container = Record<string, unknown> | unknown[];
type Place = { parent: Container; key: string | number } | undefined;

/** Every place in a JSON value: undefined for the root, else a container and the key under which it sits. */
function places(value: unknown, place: Place = undefined, out: Place[] = []): Place[] {
  out.push(place);
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      places(child, { parent: value as Container, key: Array.isArray(value) ? +key : key }, out);
    }
  }
  return out;
}

/** Sets an own, enumerable property even for `__proto__`, so that JSON.stringify sends it. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function mutate(body: unknown, pick: number, change: Mutation): unknown {
  const root = structuredClone(body);
  const all = places(root);
  const place = all[pick % all.length];
  const current = place ? (place.parent as Record<string, unknown>)[place.key] : root;
  let next: unknown;
  if (change.op === 'replace') next = change.value;
  else if (change.op === 'delete') next = undefined;
  else if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
    define(current, change.key, change.value);
    next = current;
  } else if (Array.isArray(current)) next = [...current, change.value];
  else next = { [change.key]: change.value };

  if (!place) return next ?? {};
  if (next === undefined && Array.isArray(place.parent)) place.parent.splice(+place.key, 1);
  else if (next === undefined) delete (place.parent as Record<string, unknown>)[place.key];
  else define(place.parent, String(place.key), next);
  return root;
}

/** Texts that are not a JSON object at all, or not JSON. */
const brokenText: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '{',
  '}',
  'null',
  '[]',
  '"services"',
  '1e999',
  'NaN',
  "{'services': []}",
  '{"services": [],}',
  '{"services": []}{}',
  '{"services": [\u0000]}',
  '\ufeff{"services": []}',
);

/**
 * Bodies for an endpoint, given an arbitrary of valid ones: a few valid bodies, many with one to three
 * hostile changes anywhere in them, some valid texts cut or spoiled, and texts that are not JSON objects.
 * `apiNames` are the field names of the endpoint's bodies, added as keys in the wrong places.
 */
export function fuzzBodies(
  valid: fc.Arbitrary<unknown>,
  apiNames: readonly string[] = COMPOSITE_NAMES,
): fc.Arbitrary<FuzzBody> {
  const change = mutation(hostileKey(apiNames));
  const mutated = fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), change), { minLength: 1, maxLength: 3 }))
    .map(([body, changes]) =>
      changes.reduce((value, [pick, change]) => mutate(value, pick, change), body),
    );
  const spoiled = fc.tuple(valid, fc.nat(), fc.string({ maxLength: 3 })).map(([body, at, junk]) => {
    const text = JSON.stringify(body);
    const cut = at % text.length;
    return text.slice(0, cut) + junk + text.slice(cut + 1);
  });
  return fc.oneof(
    { weight: 2, arbitrary: valid.map((body) => ({ text: JSON.stringify(body), valid: true })) },
    {
      weight: 12,
      arbitrary: mutated.map((body) => ({ text: JSON.stringify(body), valid: false })),
    },
    { weight: 2, arbitrary: spoiled.map((text) => ({ text, valid: false })) },
    { weight: 1, arbitrary: brokenText.map((text) => ({ text, valid: false })) },
  );
}

/** A request of a fuzz run: a body to send (none for a read), and the path when it is generated too. */
export interface FuzzCase {
  text?: string;
  /** Overrides the target's path (reads and path-id fuzzing generate the path itself). */
  path?: string;
  /** Overrides the target's method (path-id fuzzing goes through every operation). */
  method?: FuzzMethod;
  valid: boolean;
}

export type FuzzMethod = 'get' | 'post' | 'put' | 'delete';

export interface FuzzTarget {
  server: App;
  dataSource: DataSource;
  method: FuzzMethod;
  /** The path, or how to get it before each case (e.g. the path of the current fixture object). */
  path: string | (() => string | Promise<string>);
  /** The status a valid body is answered with (200, 201…). */
  success: number;
  /** Headers sent with every request (a tenant…). */
  headers?: Record<string, string>;
  /** Fills the current fixture's ids into a body (placeholders the valid bodies were built with). */
  bind?: (text: string) => string;
  /** What a refused request must leave exactly as it was; by default the row counts of the tables. */
  snapshot?: () => Promise<unknown>;
  /** Called after each success, e.g. to start a fresh object when the success completed or expired it. */
  renew?: () => Promise<void>;
}

export interface FuzzCounts {
  valid: number;
  hostile: number;
  refused: number;
}

/**
 * Sends every case to the endpoint and checks what the API promises whatever the input: never a server
 * error, every refusal in the error envelope with the request's id, nothing written by a refused request,
 * and every valid case accepted. Returns how many cases were sent, valid or not, and how many refused.
 * A failure names the method and path; fast-check adds the seed and the (shrunk) case.
 */
export async function fuzzEndpoint(
  target: FuzzTarget,
  cases: fc.Arbitrary<FuzzCase>,
  numRuns = FUZZ_RUNS,
): Promise<FuzzCounts> {
  const counts = { valid: 0, hostile: 0, refused: 0 };
  const snapshot = target.snapshot ?? (() => rowCounts(target.dataSource));
  await fc.assert(
    fc.asyncProperty(cases, async ({ text, path: casePath, method: caseMethod, valid }) => {
      counts[valid ? 'valid' : 'hostile'] += 1;
      const method = caseMethod ?? target.method;
      const path =
        casePath ?? (typeof target.path === 'string' ? target.path : await target.path());
      try {
        const before = await snapshot();
        let test = request(target.server)
          [target.method](path)
          .set(target.headers ?? {});
        if (text !== undefined) {
          test = test
            .set('Content-Type', 'application/json')
            .send(target.bind ? target.bind(text) : text);
        }
        const response = await test;
        expect(response.status).toBeLessThan(500);
        if (valid) expect(response.status).toBe(target.success);
        if (response.status === target.success) {
          await target.renew?.();
          return;
        }
        counts.refused += 1;
        expect(response.body).toEqual({
          statusCode: response.status,
          error: expect.any(String),
          exception: expect.stringMatching(/Exception$/),
          message: expect.any(String),
          request_id: response.headers['x-request-id'],
          ...(response.body.details ? { details: expect.any(Array) } : {}),
        });
        expect(await snapshot()).toEqual(before);
      } catch (error) {
        if (error instanceof Error)
          error.message = `${method.toUpperCase()} ${path}\n${error.message}`;
        throw error;
      }
    }),
    { seed: FUZZ_SEED, numRuns, endOnFailure: true },
  );
  return counts;
}

/**
 * Path segments and query values that are not what a route expects: ids that are not positive integers or
 * too big for one, unicode (percent-encoded), broken percent escapes, dot segments, over-long text.
 */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    '01',
    '+1',
    '%201',
    '9007199254740991',
    '9007199254740992',
    '9999999999999999',
    '99999999999999999999',
    'NaN',
    'Infinity',
    'null',
    'undefined',
    'true',
    '__proto__',
    'constructor',
    '..',
    '.',
    '%',
    '%zz',
    '%E0%A4%A',
    '%00',
    '%2F',
    '%C0%AE',
    '%EF%BC%91',
    '%D9%A3',
  ),
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.integer({ min: 65, max: 3000 }).map((length) => 'x'.repeat(length)),
);

/** A query string from name / value pairs (values as they are: already encoded, or hostile on purpose). */
export function queryString(pairs: [string, string][]): string {
  return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`;
}
