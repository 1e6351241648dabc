import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Notes hung off a service (docs/API.md §4.5), deleted with it by the foreign key. */
export class ServiceNotes1764547200000 implements MigrationInterface {
  name = 'ServiceNotes1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.driver.options.type !== 'sqljs';
    await queryRunner.createTable(
      new Table({
        name: 'service_notes',
        columns: [
          // SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
          {
            name: 'id',
            type: mysql ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'tenant_id', type: 'varchar', length: '64' },
          { name: 'service_id', type: 'bigint' },
          { name: 'text', type: 'varchar', length: '2000' },
          { name: 'author', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'bigint' },
        ],
        indices: [
          { name: 'ix_service_notes_service', columnNames: ['service_id', 'created_at', 'id'] },
        ],
        foreignKeys: [
          {
            name: 'fk_service_notes_service',
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
    await queryRunner.dropTable('service_notes');
  }
}
