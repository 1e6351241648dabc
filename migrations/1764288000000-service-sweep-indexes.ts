import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for what scans services by time rather than by key: the expiry and auto-complete sweeps, and
 * purges and exports, which select a tenant's services by start time.
 */
export class ServiceSweepIndexes1764288000000 implements MigrationInterface {
  name = 'ServiceSweepIndexes1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndices('services', [
      new TableIndex({
        name: 'ix_services_expiry',
        columnNames: ['expires_at', 'last_activity_at'],
      }),
      new TableIndex({
        name: 'ix_services_activity',
        columnNames: ['completed_at', 'last_activity_at'],
      }),
      new TableIndex({
        name: 'ix_services_tenant_started',
        columnNames: ['tenant_id', 'started_at'],
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'ix_services_tenant_started',
      'ix_services_activity',
      'ix_services_expiry',
    ]) {
      await queryRunner.dropIndex('services', name);
    }
  }
}
