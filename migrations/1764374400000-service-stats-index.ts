import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The statistics (docs/API.md §6.8) count a tenant's completions in a time window:
 * `WHERE tenant_id = ? AND completed_at >= ? AND completed_at < ?`. Starts use ix_services_tenant_started.
 */
export class ServiceStatsIndex1764374400000 implements MigrationInterface {
  name = 'ServiceStatsIndex1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'services',
      new TableIndex({
        name: 'ix_services_tenant_completed',
        columnNames: ['tenant_id', 'completed_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('services', 'ix_services_tenant_completed');
  }
}
