import { isStatementTimeoutError } from '../../src/database/database-errors';
import { ReportReads } from '../../src/database/report-reads';
import { toErrorEnvelope } from '../../src/errors/error-envelope';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';
import { onServerDatabase } from '../support/test-database';

/** The report pool (docs/API.md §6.8): apart from the writers', and its statements time-limited. */
(onServerDatabase ? describe : describe.skip)('ReportReads on a database server', () => {
  let testbed: JourneyTestbed;
  let reads: ReportReads;

  beforeAll(async () => {
    testbed = await createJourneyTestbed({ DB_READ_POOL_SIZE: 2, DB_READ_TIMEOUT_MS: 300 });
    reads = testbed.get(ReportReads);
  });

  afterAll(async () => {
    await testbed.close();
  });

  it('stops a statement at DB_READ_TIMEOUT_MS, an error answered 503', async () => {
    const started = Date.now();
    const failure = await reads
      .read((manager) => manager.query(reads.limited('SELECT SLEEP(3) AS slept')))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isStatementTimeoutError(failure)).toBe(true);
    expect(toErrorEnvelope(failure, 'r-1')).toMatchObject({
      statusCode: 503,
      message: expect.stringContaining('DB_READ_TIMEOUT_MS'),
    });
  });

  it('reads on connections of its own: more slow reads than the writers have connections keep no writer waiting', async () => {
    // Six half-second reads: more than the writers' pool (4) holds, queued on the report pool's two.
    const slow = Array.from({ length: 6 }, () =>
      reads.read((manager) => manager.query('SELECT SLEEP(0.5) AS slept')),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await testbed.inTransaction((manager) => manager.query('SELECT 1 AS one'));
    expect(Date.now() - started).toBeLessThan(300);
    await Promise.all(slow);
  });
});
