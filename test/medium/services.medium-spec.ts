import { AssociateServiceDto } from '../../src/services/dto/associate-service.dto';
import { ServiceEndEventDto } from '../../src/services/dto/service-end-event.dto';
import { ServiceExpirationDto } from '../../src/services/dto/service-expiration.dto';
import { ServiceStartEventDto } from '../../src/services/dto/service-start-event.dto';
import { ServiceEntity } from '../../src/services/service.entity';
import { ServicesService } from '../../src/services/services.service';
import { StateEntity } from '../../src/states/state.entity';
import { TaskEntity } from '../../src/tasks/task.entity';
import { body, newService, newState, newTask, newTenant, reload } from '../support/journey-factory';
import { createJourneyTestbed, JourneyTestbed } from '../support/journey-testbed';

describe('ServicesService on a real database', () => {
  let bed: JourneyTestbed;
  let services: ServicesService;

  beforeAll(async () => {
    bed = await createJourneyTestbed({ autoCompleteAfterMs: 60_000 });
    services = bed.get(ServicesService);
  });

  afterAll(() => bed.close());

  async function journey(tenantId: string, row: Partial<ServiceEntity> = {}) {
    const service = await newService(bed.dataSource, tenantId, row);
    const state = await newState(bed.dataSource, service);
    const stateTask = await newTask(bed.dataSource, service, { stateId: state.id });
    const ownTask = await newTask(bed.dataSource, service);
    return { service, state, tasks: [stateTask, ownTask] };
  }

  it('completes a service with its active tasks and states, at one moment, and may set its expiry', async () => {
    const tenant = newTenant();
    const { service, state, tasks } = await journey(tenant.tenantId);
    const end = body(ServiceEndEventDto, { disposition: 'sold', ttl: 60 });
    const now = Date.now();
    await bed.inTransaction((m) => services.complete(m, tenant, service.id, end, now));
    expect(await reload(bed.dataSource, ServiceEntity, service)).toMatchObject({
      completedAt: now,
      disposition: 'sold',
      expiresAt: now + 60_000,
      lastActivityAt: now,
    });
    for (const child of [
      await reload(bed.dataSource, StateEntity, state),
      ...(await Promise.all(tasks.map((t) => reload(bed.dataSource, TaskEntity, t)))),
    ]) {
      expect(child).toMatchObject({ completedAt: now, disposition: null, activeMarker: null });
    }
    await expect(
      bed.inTransaction((m) => services.complete(m, tenant, service.id, end, now)),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('auto-completes a due service once, with the same cascade, and leaves an active one alone', async () => {
    const tenant = newTenant();
    const due = await journey(tenant.tenantId, { lastActivityAt: Date.now() - 120_000 });
    const busy = await journey(tenant.tenantId);
    const now = Date.now();
    await expect(
      bed.inTransaction((m) => services.autoComplete(m, due.service.id, now)),
    ).resolves.toBe(true);
    await expect(
      bed.inTransaction((m) => services.autoComplete(m, due.service.id, now)),
    ).resolves.toBe(false);
    await expect(
      bed.inTransaction((m) => services.autoComplete(m, busy.service.id, now)),
    ).resolves.toBe(false);
    expect((await reload(bed.dataSource, ServiceEntity, due.service))?.completedAt).toBe(now);
    expect((await reload(bed.dataSource, StateEntity, due.state))?.completedAt).toBe(now);
    expect((await reload(bed.dataSource, ServiceEntity, busy.service))?.completedAt).toBeNull();
  });

  it('finds the active service with exactly the key, else starts one that holds the key', async () => {
    const tenant = newTenant();
    const event = body(ServiceStartEventDto, { customer_id: 'Ann', service_type: 'Sales' });
    const find = () => bed.inTransaction((m) => services.findOrStart(m, tenant, event, Date.now()));
    const created = await find();
    expect(created.created).toBe(true);
    await expect(find()).resolves.toEqual({ id: created.id, created: false });
    const spaced = body(ServiceStartEventDto, { customer_id: 'Ann ', service_type: 'Sales' });
    const other = await bed.inTransaction((m) =>
      services.findOrStart(m, tenant, spaced, Date.now()),
    );
    expect(other.created).toBe(true);
    expect(
      (await bed.dataSource.manager.findOneByOrFail(ServiceEntity, { id: created.id }))
        .activeMarker,
    ).toBe(1);
  });

  it('associates a service with a customer, keeping its contact key, and answers it whole', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId, {
      customerId: '',
      contactKey: '+331234',
      extensions: { A: 1 },
    });
    const update = body(AssociateServiceDto, { est_duration: 90, B: [2] });
    const answer = await bed.inTransaction((m) =>
      services.associate(m, tenant, service.id, 'Bob', update, Date.now()),
    );
    expect(answer).toMatchObject({
      service_id: service.id,
      customer_id: 'Bob',
      contact_key: '+331234',
      est_duration: 90,
      A: 1,
      B: [2],
    });
  });

  it('gives up the key of an association that would make an active twin, staying active', async () => {
    const tenant = newTenant();
    const holder = await newService(bed.dataSource, tenant.tenantId, {
      customerId: 'Cy',
      serviceType: 'Sales',
      activeMarker: 1,
    });
    const anonymous = await newService(bed.dataSource, tenant.tenantId, {
      customerId: '',
      serviceType: 'Sales',
      activeMarker: 1,
    });
    await bed.inTransaction((m) =>
      services.associate(m, tenant, anonymous.id, 'Cy', body(AssociateServiceDto), Date.now()),
    );
    expect(await reload(bed.dataSource, ServiceEntity, anonymous)).toMatchObject({
      customerId: 'Cy',
      activeMarker: null,
      completedAt: null,
    });
    expect((await reload(bed.dataSource, ServiceEntity, holder))?.activeMarker).toBe(1);
  });

  it('sets an expiration only when the body gives one', async () => {
    const tenant = newTenant();
    const service = await newService(bed.dataSource, tenant.tenantId);
    await expect(
      bed.inTransaction((m) =>
        services.setExpiration(m, tenant, service.id, body(ServiceExpirationDto), Date.now()),
      ),
    ).rejects.toMatchObject({ status: 400, message: 'body must give ttl or expiration_time' });
    const at = '2031-05-01T10:00:00.000Z';
    await bed.inTransaction((m) =>
      services.setExpiration(
        m,
        tenant,
        service.id,
        body(ServiceExpirationDto, { expiration_time: at }),
        Date.now(),
      ),
    );
    expect((await reload(bed.dataSource, ServiceEntity, service))?.expiresAt).toBe(Date.parse(at));
  });

  it('deletes a service with everything in it, in its own tenant only', async () => {
    const tenant = newTenant();
    const { service, state, tasks } = await journey(tenant.tenantId);
    await expect(
      bed.inTransaction((m) => services.remove(m, newTenant(), service.id)),
    ).rejects.toMatchObject({ status: 404 });
    await bed.inTransaction((m) => services.remove(m, tenant, service.id));
    expect(await reload(bed.dataSource, ServiceEntity, service)).toBeUndefined();
    expect(await reload(bed.dataSource, StateEntity, state)).toBeUndefined();
    expect(await reload(bed.dataSource, TaskEntity, tasks[0])).toBeUndefined();
  });
});
