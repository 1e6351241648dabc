import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Where an imported service came from (docs/API.md §6.5, import): its source key, unique per tenant, so
 * that importing the same export twice finds the services of the first run instead of duplicating them.
 * A table of its own, deleted with its service by the foreign key: nothing else reads it.
 */
export class ServiceImportSource1764633600000 implements MigrationInterface {
  name = 'ServiceImportSource1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.driver.options.type;
    const mysql = type !== 'sqljs';
    // Source keys compare byte for byte, as the match keys do (see the initial schema).
    const collation = type === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
    await queryRunner.createTable(
      new Table({
        name: 'service_sources',
        columns: [
          { name: 'service_id', type: 'bigint', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '64' },
          {
            name: 'source_key',
            type: 'varchar',
            length: '160',
            ...(mysql ? { charset: 'utf8mb4', collation } : {}),
          },
        ],
        indices: [
          {
            name: 'uq_service_sources_key',
            columnNames: ['tenant_id', 'source_key'],
            isUnique: true,
          },
        ],
        foreignKeys: [
          {
            name: 'fk_service_sources_service',
            columnNames: ['service_id'],
            referencedTableName: 'services',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('service_sources');
  }
}
