import fc from 'fast-check';
import {
  eventFields,
  serviceEventFields,
  FUZZ_RUNS,
  FUZZ_SEED,
  fuzzBodies,
  fuzzEndpoint,
  text,
  typeValue,
  withExtensions,
} from './support/fuzz';
import { createTestApp, TestApp } from './support/test-app';

/** Composite start bodies that docs/API.md §3 accepts. */
const validComposite = fc.record({
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

describe(`composite start under ${FUZZ_RUNS} generated bodies (seed ${FUZZ_SEED})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('never fails with a server error, refuses in the envelope and writes nothing when it refuses', async () => {
    const counts = await fuzzEndpoint(
      {
        server: t.server,
        dataSource: t.dataSource,
        method: 'post',
        path: '/genesys/1/cs/services_composite/start',
        success: 200,
      },
      fuzzBodies(validComposite),
    );
    console.log(`composite start: ${JSON.stringify(counts)}`);
    expect(counts.hostile).toBeGreaterThanOrEqual(FUZZ_RUNS / 2);
    expect(counts.refused).toBeGreaterThanOrEqual(FUZZ_RUNS / 3);
    expect(counts.valid).toBeGreaterThan(0);
  }, 120_000);
});
