import { FUZZ_RUNS, FUZZ_SEED, fuzzBodies, fuzzEndpoint, validComposite } from './support/fuzz';
import { createTestApp, TestApp } from './support/test-app';

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
