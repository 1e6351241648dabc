import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import {
  insertReturningId,
  insertReturningIds,
  insertsReturnIds,
} from '../database/insert-returning-id';
import { activeSql } from '../journey/activity-sql';
import { expiryBounds, liveServiceSql, positional } from '../journey/service-expiry';

/** Composite start's match key of a service (docs/API.md §3): absent parts are ''. */
export interface ActiveKey {
  customerId: string;
  serviceType: string;
  contactKey: string;
}

export const keyText = (key: ActiveKey) =>
  JSON.stringify([key.customerId, key.serviceType, key.contactKey]);

/**
 * The reads and writes of an import, by table name (the three tables belong to modules below): which
 * source keys a tenant already holds, which keys have an active service, and the rows of many services at
 * once, one multi-row INSERT per table where the engine answers the ids (RETURNING), else row by row.
 */
@Injectable()
export class ImportsRepository {
  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  /** Source key → id of the tenant's services already imported under one of `keys`. */
  async findImported(
    manager: EntityManager,
    tenantId: string,
    keys: string[],
  ): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const rows = await manager.query<{ service_id: number | string; source_key: string }[]>(
      `SELECT service_id, source_key FROM service_sources WHERE tenant_id = ? AND source_key IN (${keys.map(() => '?').join(', ')})`,
      [tenantId, ...keys],
    );
    return new Map(rows.map((row) => [row.source_key, Number(row.service_id)]));
  }

  /**
   * `keyText` → id of the latest active, unexpired service of the tenant with that key: the service
   * composite start would continue, which an imported active service may not shadow.
   */
  async findActive(
    manager: EntityManager,
    tenantId: string,
    keys: ActiveKey[],
  ): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const parameters: unknown[] = [tenantId];
    const tuples = keys.map((key) => {
      parameters.push(key.customerId, key.serviceType, key.contactKey);
      return '(?, ?, ?)';
    });
    const live = liveServiceSql(
      's',
      expiryBounds(Date.now(), this.config.defaultExpirationMs),
      positional(parameters),
    );
    const rows = await manager.query<
      { id: number | string; customer_id: string; service_type: string; contact_key: string }[]
    >(
      `SELECT id, customer_id, service_type, contact_key FROM services s WHERE tenant_id = ? AND ` +
        `(customer_id, service_type, contact_key) IN (${tuples.join(', ')}) AND ${activeSql('s')} AND ${live}`,
      parameters,
    );
    const found = new Map<string, number>();
    for (const row of rows) {
      const key = keyText({
        customerId: row.customer_id,
        serviceType: row.service_type,
        contactKey: row.contact_key,
      });
      found.set(key, Math.max(found.get(key) ?? 0, Number(row.id)));
    }
    return found;
  }

  /** Inserts `rows` into `table` (entity property names); their ids, in order. */
  async insert(manager: EntityManager, table: string, rows: ObjectLiteral[]): Promise<number[]> {
    if (rows.length === 0) return [];
    if (insertsReturnIds(manager)) return insertReturningIds(manager, table, rows);
    const ids: number[] = [];
    for (const row of rows) ids.push(await insertReturningId(manager, table, row));
    return ids;
  }

  /** Records where each new service came from. */
  async recordSources(
    manager: EntityManager,
    tenantId: string,
    sources: { serviceId: number; sourceKey: string }[],
  ): Promise<void> {
    if (sources.length === 0) return;
    await manager.query(
      `INSERT INTO service_sources (service_id, tenant_id, source_key) VALUES ${sources.map(() => '(?, ?, ?)').join(', ')}`,
      sources.flatMap(({ serviceId, sourceKey }) => [serviceId, tenantId, sourceKey]),
    );
  }

  /** Sets each state's previous state, once both have their ids here: one UPDATE for them all. */
  async linkPreviousStates(manager: EntityManager, links: [number, number][]): Promise<void> {
    if (links.length === 0) return;
    const cases = links.map(() => 'WHEN ? THEN ?').join(' ');
    await manager.query(
      `UPDATE states SET previous_state_id = CASE id ${cases} END WHERE id IN (${links.map(() => '?').join(', ')})`,
      [...links.flat(), ...links.map(([id]) => id)],
    );
  }
}
