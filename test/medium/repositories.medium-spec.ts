import { CompositeRepository } from '../../src/composite/composite.repository';
import { ServiceEntity } from '../../src/services/service.entity';
import { ServicesRepository } from '../../src/services/services.repository';
import { newService, newState, newTask, newTenant, reload } from '../support/journey-factory';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';

describe('repositories on a real database', () => {
  let bed: JourneyTestbed;
  let services: ServicesRepository;
  let composite: CompositeRepository;

  beforeAll(async () => {
    bed = await createJourneyTestbed({ defaultExpirationMs: 60_000, autoCompleteAfterMs: 60_000 });
    services = bed.get(ServicesRepository);
    composite = bed.get(CompositeRepository);
  });

  afterAll(() => bed.close());

  const read = <T>(work: Parameters<JourneyTestbed['transactions']['read']>[0]) =>
    bed.transactions.read(work) as Promise<T>;

  describe('ServicesRepository', () => {
    it('matches a key byte for byte and prefers the latest started active service', async () => {
      const { tenantId } = newTenant();
      const key = { tenantId, customerId: 'Dee', serviceType: 'Sales', contactKey: '' };
      await newService(bed.dataSource, tenantId, {
        customerId: 'Dee',
        startedAt: Date.now() - 2000,
      });
      const latest = await newService(bed.dataSource, tenantId, { customerId: 'Dee' });
      await newService(bed.dataSource, tenantId, { customerId: 'Dee', completedAt: Date.now() });
      await newService(bed.dataSource, tenantId, { customerId: 'dee' });
      await newService(bed.dataSource, tenantId, { customerId: 'Dee ' });
      await expect(read((m) => services.findActiveIdByKey(m, key))).resolves.toBe(latest.id);
      await expect(
        read((m) => services.findActiveIdByKey(m, { ...key, contactKey: 'k' })),
      ).resolves.toBeUndefined();
    });

    it('frees the key an expired, unswept service still holds', async () => {
      const { tenantId } = newTenant();
      const expired = await newService(bed.dataSource, tenantId, {
        customerId: 'Eve',
        activeMarker: 1,
        expiresAt: Date.now() - 1,
      });
      const key = { tenantId, customerId: 'Eve', serviceType: 'Sales', contactKey: '' };
      await bed.inTransaction((m) => services.releaseExpiredKey(m, key));
      expect((await reload(bed.dataSource, ServiceEntity, expired))?.activeMarker).toBeNull();
    });

    it('selects what the sweeper deletes and completes', async () => {
      const { tenantId } = newTenant();
      const now = Date.now();
      const expired = await newService(bed.dataSource, tenantId, { expiresAt: now - 1 });
      const stale = await newService(bed.dataSource, tenantId, { lastActivityAt: now - 120_000 });
      const fresh = await newService(bed.dataSource, tenantId);
      const ownDue = await newService(bed.dataSource, tenantId, {
        autoCompleteAfter: 1,
        lastActivityAt: now - 2000,
        expiresAt: now + 60_000,
      });
      const expiredIds = await read<number[]>((m) => services.expiredIds(m, now, 10_000));
      expect(expiredIds).toEqual(expect.arrayContaining([expired.id, stale.id]));
      expect(expiredIds).not.toContain(fresh.id);
      const due = await read<number[]>((m) => services.autoCompleteDueIds(m, now, 10_000));
      expect(due).toEqual(expect.arrayContaining([ownDue.id, stale.id]));
      expect(due).not.toContain(fresh.id);
    });

    it('selects what each purge operation deletes, in the tenant only', async () => {
      const { tenantId } = newTenant();
      const startedAt = Date.now() - 5000;
      const before = startedAt + 1000;
      const active = await newService(bed.dataSource, tenantId, { startedAt });
      const anonymous = await newService(bed.dataSource, tenantId, {
        startedAt,
        customerId: '',
        contactKey: 'k',
      });
      const done = await newService(bed.dataSource, tenantId, { startedAt, completedAt: before });
      await newService(bed.dataSource, tenantId, { startedAt: before });
      await newService(bed.dataSource, newTenant().tenantId, { startedAt });
      const ids = (scope: Parameters<ServicesRepository['purgeableIds']>[2]) =>
        read<number[]>((m) => services.purgeableIds(m, tenantId, scope, before, 100));
      await expect(ids('all')).resolves.toEqual([active.id, anonymous.id, done.id]);
      await expect(ids('started')).resolves.toEqual([active.id, anonymous.id]);
      await expect(ids('started.anonymous')).resolves.toEqual([anonymous.id]);
      await expect(ids('completed')).resolves.toEqual([done.id]);
      await expect(ids('completed.anonymous')).resolves.toEqual([]);
    });

    it('pages an export by id, by the kind of event in the range', async () => {
      const { tenantId } = newTenant();
      const from = Date.now() - 10_000;
      const startedIn = await newService(bed.dataSource, tenantId);
      const completedIn = await newService(bed.dataSource, tenantId, {
        startedAt: from - 5000,
        completedAt: Date.now(),
      });
      await newService(bed.dataSource, tenantId, { startedAt: from - 5000 });
      const page = (filter: Partial<Parameters<ServicesRepository['exportPage']>[2]>, after = 0) =>
        read<ServiceEntity[]>((m) =>
          services.exportPage(
            m,
            tenantId,
            { from, events: 'any', state: 'any', ...filter },
            after,
            1,
          ),
        ).then((rows) => rows.map((row) => row.id));
      await expect(page({})).resolves.toEqual([startedIn.id]);
      await expect(page({}, startedIn.id)).resolves.toEqual([completedIn.id]);
      await expect(page({}, completedIn.id)).resolves.toEqual([]);
      await expect(page({ events: 'completed' })).resolves.toEqual([completedIn.id]);
      await expect(page({ state: 'active' }, startedIn.id)).resolves.toEqual([]);
    });
  });

  describe('CompositeRepository', () => {
    it("finds each event's service, state and task in one statement, null where there is none", async () => {
      const { tenantId } = newTenant();
      const service = await newService(bed.dataSource, tenantId, { customerId: 'Fay' });
      const state = await newState(bed.dataSource, service, { stateType: 'A' });
      const inState = await newTask(bed.dataSource, service, { stateId: state.id, taskType: 'T' });
      const own = await newTask(bed.dataSource, service, { taskType: 'T' });
      const key = {
        tenantId,
        customerId: 'Fay',
        serviceType: 'Sales',
        contactKey: '',
        stateType: 'A',
        taskType: 'T',
        taskInState: false,
      };
      const found = await read((m) =>
        composite.findActive(m, [
          key,
          { ...key, taskInState: true },
          { ...key, stateType: 'B' },
          { ...key, taskType: undefined },
          { ...key, customerId: 'Gus' },
        ]),
      );
      expect(found).toEqual([
        { serviceId: service.id, stateId: state.id, taskId: own.id },
        { serviceId: service.id, stateId: state.id, taskId: inState.id },
        // No state of that type, but the service's own task is found all the same.
        { serviceId: service.id, stateId: null, taskId: own.id },
        { serviceId: service.id, stateId: state.id, taskId: null },
        { serviceId: null, stateId: null, taskId: null },
      ]);
    });
  });
});
