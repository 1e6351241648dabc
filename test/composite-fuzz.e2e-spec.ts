import fc from 'fast-check';
import { FUZZ_RUNS, FUZZ_SEED, fuzzBodies, fuzzEndpoint } from './support/fuzz';
import { createTestApp, TestApp } from './support/test-app';

const text = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength });
const typeValue = fc.oneof(text(20), fc.nat({ max: 1_000_000 }));
/** Extension values without the keys the service refuses anywhere. */
const extensionValue = fc
  .jsonValue({ maxDepth: 2 })
  .filter((value) => !/"(__proto__|constructor|prototype)"/.test(JSON.stringify(value)));
const extensions = fc.dictionary(fc.stringMatching(/^X[A-Za-z0-9_]{0,20}$/), extensionValue, {
  maxKeys: 2,
});
const eventFields = {
  session_id: text(32),
  interaction_id: text(50),
  application_type: typeValue,
  application_id: fc.nat(),
  media_type: typeValue,
  timestamp: fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((date) => date.toISOString()),
};
const withExtensions = <T extends object>(fields: fc.Arbitrary<T>) =>
  fc.tuple(fields, extensions).map(([own, extra]) => ({ ...extra, ...own }));

/** Composite start bodies that API.md §3 accepts. */
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
              ...eventFields,
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
    expect(counts.hostile).toBeGreaterThanOrEqual(500);
    expect(counts.refused).toBeGreaterThanOrEqual(400);
    expect(counts.valid).toBeGreaterThan(0);
  }, 120_000);
});
