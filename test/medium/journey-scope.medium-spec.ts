import { AppConfig } from '../../src/config/app-config';
import { JourneyScope } from '../../src/journey/journey-scope';
import { ServiceEntity } from '../../src/services/service.entity';
import { newService, newState, newTenant, reload } from '../support/journey-factory';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';

describe('JourneyScope on a real database', () => {
  let bed: JourneyTestbed;
  let scope: JourneyScope;
  /** The same checks with LIFECYCLE=strict. */
  let strict: JourneyScope;

  beforeAll(async () => {
    bed = await createJourneyTestbed({ defaultExpirationMs: 60_000 });
    scope = bed.get(JourneyScope);
    strict = new JourneyScope({ defaultExpirationMs: 60_000, LIFECYCLE: 'strict' } as AppConfig);
  });

  afterAll(() => bed.close());

  it('finds a live service only in its own tenant', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    // It answers when the service started, for what starts in it.
    await expect(
      bed.inTransaction((m) => scope.requireLiveService(m, tenant, service.id)),
    ).resolves.toBe(service.startedAt);
    await expect(
      bed.inTransaction((m) => scope.requireLiveService(m, newTenant(), service.id)),
    ).rejects.toMatchObject({ message: `service ${service.id} not found`, status: 404 });
  });

  it('treats an expired service as gone, by its own expiry or the default one', async () => {
    const tenant = newTenant();
    const past = await newService(bed.dataSource, tenant.tenantId, { expiresAt: Date.now() - 1 });
    const idle = await newService(bed.dataSource, tenant.tenantId, {
      lastActivityAt: Date.now() - 120_000,
    });
    const kept = await newService(bed.dataSource, tenant.tenantId, {
      lastActivityAt: Date.now() - 120_000,
      expiresAt: Date.now() + 60_000,
    });
    for (const gone of [past, idle]) {
      await expect(
        bed.inTransaction((m) => scope.requireLiveService(m, tenant, gone.id)),
      ).rejects.toMatchObject({ status: 404 });
    }
    await expect(
      bed.inTransaction((m) => scope.requireLiveService(m, tenant, kept.id)),
    ).resolves.toBe(kept.startedAt);
  });

  it('locks a service to start in by recording its activity, completed or not', async () => {
    const tenant = newTenant();
    const active = await newService(bed.dataSource, tenant.tenantId);
    const done = await newService(bed.dataSource, tenant.tenantId, { completedAt: Date.now() });
    const later = Date.now() + 5000;
    for (const service of [active, done]) {
      await bed.inTransaction((m) => scope.lockServiceToStart(m, tenant, service.id, later));
      expect((await reload(bed.dataSource, ServiceEntity, service))?.lastActivityAt).toBe(later);
    }
  });

  it('with LIFECYCLE=strict, refuses to start in a completed service', async () => {
    const tenant = newTenant();
    const active = await newService(bed.dataSource, tenant.tenantId);
    const done = await newService(bed.dataSource, tenant.tenantId, { completedAt: Date.now() });
    const later = Date.now() + 5000;
    await bed.inTransaction((m) => strict.lockServiceToStart(m, tenant, active.id, later));
    expect((await reload(bed.dataSource, ServiceEntity, active))?.lastActivityAt).toBe(later);
    await expect(
      bed.inTransaction((m) => strict.lockServiceToStart(m, tenant, done.id, later)),
    ).rejects.toMatchObject({
      status: 409,
      message: `service ${done.id} is completed; nothing can start or end in it`,
    });
  });

  it('touches only an active service, and says whether it did', async () => {
    const tenant = newTenant();
    const active = await newService(bed.dataSource, tenant.tenantId);
    const done = await newService(bed.dataSource, tenant.tenantId, { completedAt: Date.now() });
    await expect(bed.inTransaction((m) => scope.touchService(m, active.id, 7))).resolves.toBe(true);
    await expect(bed.inTransaction((m) => scope.touchService(m, done.id, 7))).resolves.toBe(false);
    expect((await reload(bed.dataSource, ServiceEntity, done))?.lastActivityAt).not.toBe(7);
  });

  it('accepts a state of the service only, and with LIFECYCLE=strict an active one', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    const other = await newService(bed.dataSource, tenant.tenantId);
    const state = await newState(bed.dataSource, service);
    const completed = await newState(bed.dataSource, service, { completedAt: Date.now() });
    await expect(
      bed.inTransaction((m) => scope.requireStateToStart(m, service.id, state.id)),
    ).resolves.toBeUndefined();
    await expect(
      bed.inTransaction((m) => scope.requireStateToStart(m, other.id, state.id)),
    ).rejects.toMatchObject({
      status: 404,
      message: `state ${state.id} is not a state of service ${other.id}`,
    });
    await expect(
      bed.inTransaction((m) => scope.requireStateToStart(m, service.id, completed.id)),
    ).resolves.toBeUndefined();
    await expect(
      bed.inTransaction((m) => strict.requireStateToStart(m, service.id, completed.id)),
    ).rejects.toMatchObject({ status: 409 });
  });
});
