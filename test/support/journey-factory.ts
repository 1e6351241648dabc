import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { ServiceEntity } from '../../src/services/service.entity';
import { StateEntity } from '../../src/states/state.entity';
import { TaskEntity } from '../../src/tasks/task.entity';
import { uniqueId } from './test-app';

/*
 * Rows for the middle floor of the tests, written straight to the tables: the state a test starts from,
 * without going through the code under test. Every field has a plain default; a test names what it cares
 * about.
 */

const NO_EVENT = {
  sessionId: null,
  interactionId: null,
  applicationType: null,
  applicationId: null,
  resourceType: null,
  resourceId: null,
  mediaType: null,
};

function tracked(tenantId: string, startedAt: number) {
  return {
    tenantId,
    groupId: null,
    activeMarker: null,
    estDuration: null,
    startedAt,
    started: NO_EVENT,
    completedAt: null,
    completed: NO_EVENT,
    disposition: null,
    dispositionDesc: null,
    extensions: null,
  };
}

async function insert<T extends object>(
  dataSource: DataSource,
  target: new () => T,
  row: Partial<T>,
): Promise<T & { id: number }> {
  const result = await dataSource.manager.insert(target, row as never);
  const id = Number((result.identifiers[0] as { id: number | string }).id);
  return { ...(row as T), id };
}

/** A tenant of its own, so that tests sharing a database never see each other's rows. */
export const newTenant = () => ({ tenantId: uniqueId('t') });

export function newService(
  dataSource: DataSource,
  tenantId: string,
  row: Partial<ServiceEntity> = {},
): Promise<ServiceEntity> {
  const startedAt = row.startedAt ?? Date.now();
  return insert(dataSource, ServiceEntity, {
    ...tracked(tenantId, startedAt),
    customerId: uniqueId('cust'),
    serviceType: 'Sales',
    contactKey: '',
    expiresAt: null,
    autoCompleteAfter: null,
    lastActivityAt: startedAt,
    ...row,
  });
}

export function newState(
  dataSource: DataSource,
  service: ServiceEntity,
  row: Partial<StateEntity> = {},
): Promise<StateEntity> {
  return insert(dataSource, StateEntity, {
    ...tracked(service.tenantId, row.startedAt ?? Date.now()),
    serviceId: service.id,
    stateType: 'Identify',
    previousStateId: null,
    ...row,
  });
}

export function newTask(
  dataSource: DataSource,
  service: ServiceEntity,
  row: Partial<TaskEntity> = {},
): Promise<TaskEntity> {
  return insert(dataSource, TaskEntity, {
    ...tracked(service.tenantId, row.startedAt ?? Date.now()),
    serviceId: service.id,
    stateId: null,
    stateScope: row.stateId ?? 0,
    taskType: 'Verify',
    ...row,
  });
}

/** The row as stored now (undefined once deleted). */
export async function reload<T extends { id: number }>(
  dataSource: DataSource,
  target: new () => T,
  row: T,
): Promise<T | undefined> {
  return (
    (await dataSource.manager.findOne(target, { where: { id: row.id } as never })) ?? undefined
  );
}

/** A request body as the validation pipe hands it to a service: an instance of its DTO class. */
export function body<T extends object>(type: new () => T, plain: object = {}): T {
  return plainToInstance(type, plain);
}
