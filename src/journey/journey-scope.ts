import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import {
  ConflictApiException,
  NotFoundApiException,
  ValidationException,
} from '../errors/api-exceptions';
import { TenantContext } from '../tenancy/tenant-context';
import { expiryBounds, liveServiceSql, positional } from './service-expiry';
import { activeSql } from './activity-sql';

export const serviceNotFound = (id: number) =>
  new NotFoundApiException(`service ${id} not found`, { notFound: 'service', id });

/** 400 naming `timestamp` when an event would be before the moment it must follow (time runs forwards). */
export function requireNotBefore(at: number, since: number, what: string): void {
  if (at < since) {
    throw ValidationException.of(
      'timestamp',
      `must not be before ${what} (${new Date(since).toISOString()})`,
    );
  }
}

export const notInService = (kind: 'state' | 'task', id: number, serviceId: number) =>
  new NotFoundApiException(`${kind} ${id} is not a ${kind} of service ${serviceId}`, {
    notFound: kind,
    id,
  });

/**
 * What a state or task asks about its parents before it starts or changes (docs/API.md §6.1): whether the
 * service is there and active, whether a state of it is. The one place below the three modules that knows
 * the parent rules, so that no module needs a sibling for its checks; it reads the parents' tables by name.
 */
@Injectable()
export class JourneyScope {
  private readonly defaultExpirationMs: number | undefined;
  private readonly strict: boolean;
  private readonly most: Record<'states' | 'tasks', { count: number; setting: string }>;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.defaultExpirationMs = config.defaultExpirationMs;
    this.strict = config.LIFECYCLE === 'strict';
    this.most = {
      states: { count: config.MAX_STATES_PER_SERVICE, setting: 'MAX_STATES_PER_SERVICE' },
      tasks: { count: config.MAX_TASKS_PER_SERVICE, setting: 'MAX_TASKS_PER_SERVICE' },
    };
  }

  /**
   * Before a state or task is inserted into a service: 409 when the service already holds the most its
   * setting allows. Called with the service's row locked (every start locks it first), so concurrent starts
   * cannot overshoot the limit together.
   */
  async requireRoomFor(manager: EntityManager, table: 'states' | 'tasks', serviceId: number) {
    const { count, setting } = this.most[table];
    const [row] = await manager.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS n FROM ${table} WHERE service_id = ?`,
      [serviceId],
    );
    if (Number(row.n) >= count) {
      throw new ConflictApiException(
        `service ${serviceId} holds ${count} ${table}, the most ${setting} allows`,
      );
    }
  }

  /**
   * 404 unless the service exists in this tenant and has not expired (§6.2, §6.3); when it started
   * (epoch ms), for what starts in it.
   */
  async requireLiveService(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
  ): Promise<number> {
    return (await this.liveService(manager, tenant, id, '')).startedAt;
  }

  /**
   * The parent check of every write under a service (a state or task started, completed or changed; a child
   * row of any module): 404 unless the service exists in this tenant and has not expired, with its row
   * locked until the transaction ends. A concurrent delete, completion or expiry of the service then waits
   * for this write, or this write for it and then answers 404: never a child row inserted under a service
   * that is gone (a foreign-key failure). When it started (epoch ms), and whether it is still active.
   */
  lockLiveService(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
  ): Promise<{ startedAt: number; active: boolean }> {
    // The embedded engine runs one transaction at a time: nothing to lock against.
    const lock = manager.connection.driver.options.type === 'sqljs' ? '' : ' FOR UPDATE';
    return this.liveService(manager, tenant, id, lock);
  }

  /** When a service started (epoch ms); the caller knows it exists. */
  async serviceStartedAt(manager: EntityManager, id: number): Promise<number> {
    const [row] = await manager.query<{ started_at: number | string }[]>(
      'SELECT started_at FROM services WHERE id = ?',
      [id],
    );
    return Number(row.started_at);
  }

  /**
   * Before a state or task starts inside the service: 404 if it is not there; with LIFECYCLE=strict, 409
   * if it is completed (by default a completed service takes new states and tasks, as Genesys's does).
   * Records the activity, the service row locked (`lockLiveService`) so that a concurrent completion or
   * delete cannot slip in between this check and the write.
   */
  async lockServiceToStart(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    now: number,
  ): Promise<number> {
    const { startedAt, active } = await this.lockLiveService(manager, tenant, id);
    if (this.strict && !active) {
      throw new ConflictApiException(`service ${id} is completed; nothing can start or end in it`);
    }
    await this.updateActivity(manager, id, now, 'id = :id');
    return startedAt;
  }

  /**
   * Records activity in an active service (something in it started, changed or completed; §6.4) and takes
   * its row lock until the transaction ends. False when the service is not active.
   */
  touchService(manager: EntityManager, id: number, now: number): Promise<boolean> {
    return this.updateActivity(manager, id, now, `id = :id AND ${activeSql()}`);
  }

  /**
   * Before a task starts in a state: 404 unless the state belongs to the service; with LIFECYCLE=strict,
   * 409 if it is completed.
   */
  async requireStateToStart(manager: EntityManager, serviceId: number, id: number): Promise<void> {
    const [state] = await manager.query<{ completed_at: number | string | null }[]>(
      'SELECT completed_at FROM states WHERE id = ? AND service_id = ?',
      [id, serviceId],
    );
    if (!state) throw notInService('state', id, serviceId);
    if (this.strict && state.completed_at !== null) {
      throw new ConflictApiException(`state ${id} is completed; nothing can start in it`);
    }
  }

  private async liveService(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    lock: '' | ' FOR UPDATE',
  ): Promise<{ startedAt: number; active: boolean }> {
    const parameters: unknown[] = [id, tenant.tenantId];
    const live = liveServiceSql(
      'services',
      expiryBounds(Date.now(), this.defaultExpirationMs),
      positional(parameters),
    );
    const [row] = await manager.query<
      { started_at: number | string; completed_at: number | string | null }[]
    >(
      `SELECT started_at, completed_at FROM services WHERE id = ? AND tenant_id = ? AND ${live}${lock}`,
      parameters,
    );
    if (!row) throw serviceNotFound(id);
    return { startedAt: Number(row.started_at), active: row.completed_at === null };
  }

  private async updateActivity(
    manager: EntityManager,
    id: number,
    now: number,
    where: string,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update('services')
      .set({ lastActivityAt: now })
      .where(where, { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
