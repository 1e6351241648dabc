import {
  apiOperations,
  callOperation,
  createJourney,
  expectEnvelope,
  FieldPath,
  inputOf,
  label,
  Operation,
} from './support/api-routes';
import { ResourceApi } from './support/resource-api';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

/** `body` with `null` at `path`, the objects and arrays on the way made where the minimal body has none. */
function withNullAt(body: object | undefined, path: FieldPath): object {
  const copy = structuredClone(body ?? {}) as Record<string | number, unknown>;
  let node = copy;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = null;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null) {
      node[key] = typeof path[i + 1] === 'number' ? [{}] : {};
    }
    node = node[key] as Record<string | number, unknown>;
  });
  return copy;
}

/** The field itself, `services[0].state.previous_state_id`, as the error envelope names it. */
const dotted = (path: FieldPath) =>
  path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i ? `.${key}` : key)).join('');

/**
 * JSON null in any documented field of any write means "not sent" (docs/API.md §2.1): Java clients send
 * null for every unset field. Every field of every write's request schema, at every level, is set to null
 * in turn in an otherwise valid body, on a journey of its own.
 */
describe('JSON null in a documented field is an absent field', () => {
  let t: TestApp;
  let writes: Operation[];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        SWEEP_INTERVAL: '0',
        BUSINESS_ATTRIBUTES_FILE: 'config/business-attributes.example.json',
      },
    });
    writes = (await apiOperations(t.server)).filter((op) => op.fields?.length);
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers no 5xx and no "not found" for a null in any field of any write', async () => {
    const headers = { ContactCenterId: uniqueId('nulls') };
    const wrong: string[] = [];
    const counts = { operations: writes.length, calls: 0, accepted: 0, refused: 0 };
    for (const op of writes) {
      for (const field of op.fields!) {
        const ids = await createJourney(t.server, headers, uniqueId('c'), uniqueId('k'));
        const body = withNullAt(inputOf(op, ids).body, field);
        const { status, body: answer } = await callOperation(t.server, op, ids, headers, body);
        counts.calls += 1;
        const message = String(answer.message);
        if (status >= 500 || (status === 404 && /\bnull\b/.test(message))) {
          wrong.push(`${label(op)} ${dotted(field)}=null: ${status} ${message}`);
        } else if (status >= 400) {
          expectEnvelope(answer, status);
          counts.refused += 1;
          // A refusal for the null itself names the field as missing, never its type or "null".
          const about = (answer.details as { path: string; problem: string }[] | undefined)?.find(
            (detail) => detail.path.endsWith(dotted(field)),
          );
          if (
            about &&
            about.problem !== 'is required' &&
            !/^is required when/.test(about.problem)
          ) {
            wrong.push(`${label(op)} ${dotted(field)}=null: ${about.problem}`);
          }
        } else {
          counts.accepted += 1;
        }
      }
    }
    console.log(`null sweep: ${JSON.stringify(counts)}`);
    expect(wrong).toEqual([]);
    expect(counts.operations).toBeGreaterThanOrEqual(12);
    expect(counts.calls).toBeGreaterThanOrEqual(110);
    expect(counts.accepted).toBeGreaterThan(counts.refused);
  }, 60_000);

  it('starts a state after null previous_state_id and a task in no state after null state_id', async () => {
    const tenant = uniqueId('nulls');
    const api = new ResourceApi(() => t).as(tenant);
    const { serviceId } = await createJourney(
      t.server,
      { ContactCenterId: tenant },
      uniqueId('c'),
      uniqueId('k'),
    );
    const state = await api
      .post(`/services/${serviceId}/states/start`, { state_type: 'Queue', previous_state_id: null })
      .expect(201);
    const task = await api
      .post(`/services/${serviceId}/tasks/start`, { task_type: 'Verify', state_id: null })
      .expect(201);
    const read = await api.get(`/services/${serviceId}/tasks/${task.body.task_id}`).expect(200);
    expect(read.body).not.toHaveProperty('state_id');
    await api.get(`/services/${serviceId}/states/${state.body.state_id}`).expect(200);
  });

  it('keeps null as an extension value', async () => {
    const api = new ResourceApi(() => t).as(uniqueId('nulls'));
    const started = await api
      .post('/services/start', { customer_id: uniqueId('c'), Survey: null })
      .expect(201);
    const read = await api
      .get(`/services/${started.body.service_id}?extensions=Survey`)
      .expect(200);
    expect(read.body).toHaveProperty('Survey', null);
  });
});
