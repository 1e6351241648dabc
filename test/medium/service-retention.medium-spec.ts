import { ServiceEntity } from '../../src/services/service.entity';
import { ServiceRetention } from '../../src/services/service-retention.service';
import { StateEntity } from '../../src/states/state.entity';
import { ExportQueryDto } from '../../src/services/dto/export-query.dto';
import { PurgeRequestDto } from '../../src/services/dto/purge.dto';
import { body, newService, newState, newTenant, reload } from '../support/journey-factory';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';

describe('ServiceRetention on a real database', () => {
  let bed: JourneyTestbed;
  let retention: ServiceRetention;

  beforeAll(async () => {
    // Batches of 2, so that a handful of rows spans several transactions.
    // The sweeps work on every tenant at once: a database of its own keeps other tests' rows out.
    bed = await createJourneyTestbed(
      { SWEEP_BATCH_SIZE: 2, autoCompleteAfterMs: 60_000 },
      { ownDatabase: 'retention' },
    );
    retention = bed.get(ServiceRetention);
  });

  afterAll(() => bed.close());

  it('purges in batches, one transaction each, until a batch comes back short', async () => {
    const tenant = newTenant();
    const startedAt = Date.now() - 10_000;
    const purged = await Promise.all(
      [1, 2, 3, 4, 5].map(() => newService(bed.dataSource, tenant.tenantId, { startedAt })),
    );
    const kept = await newService(bed.dataSource, tenant.tenantId);
    const transaction = jest.spyOn(bed.transactions, 'transaction');
    const limit = new Date(startedAt + 1).toISOString();
    const request = body(PurgeRequestDto, { limit, operation: 'purge.service.all' });
    await expect(retention.purge(tenant, request)).resolves.toBe(5);
    expect(transaction).toHaveBeenCalledTimes(3);
    transaction.mockRestore();
    for (const service of purged) {
      expect(await reload(bed.dataSource, ServiceEntity, service)).toBeUndefined();
    }
    expect(await reload(bed.dataSource, ServiceEntity, kept)).toBeDefined();
  });

  it('deletes expired services with their states, and auto-completes the due ones', async () => {
    const { tenantId } = newTenant();
    const expired = await newService(bed.dataSource, tenantId, { expiresAt: Date.now() - 1 });
    const state = await newState(bed.dataSource, expired);
    const due = await newService(bed.dataSource, tenantId, {
      lastActivityAt: Date.now() - 120_000,
      expiresAt: Date.now() + 60_000,
    });
    await expect(retention.deleteExpired()).resolves.toBe(1);
    expect(await reload(bed.dataSource, ServiceEntity, expired)).toBeUndefined();
    expect(await reload(bed.dataSource, StateEntity, state)).toBeUndefined();
    await expect(retention.autoCompleteDue()).resolves.toBe(1);
    expect((await reload(bed.dataSource, ServiceEntity, due))?.completedAt).not.toBeNull();
  });

  it('exports a page of ids or of whole services, and says when it was the last', async () => {
    const tenant = newTenant();
    const query = (plain: object) =>
      body(ExportQueryDto, { time_from: new Date(Date.now() - 60_000).toISOString(), ...plain });
    const first = await newService(bed.dataSource, tenant.tenantId, { extensions: { A: 1 } });
    await newState(bed.dataSource, first);
    // A short page is the last: no `nextAfter`.
    await expect(retention.exportPage(tenant, query({}), 0)).resolves.toEqual({
      items: [first.id],
    });
    const whole = await retention.exportPage(tenant, query({ export_content: true }), 0);
    expect(whole.items).toEqual([
      expect.objectContaining({
        service_id: first.id,
        A: 1,
        active_states: [expect.objectContaining({ state_type: 'Identify' })],
      }),
    ]);
  });
});
