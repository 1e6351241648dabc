import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

/**
 * Services, states and tasks. Written with TypeORM's Table API so that one definition yields valid DDL on
 * MySQL 8, MariaDB and SQLite. Deliberately self-contained: a migration is history and must not change when
 * the entities do.
 */
export class InitialSchema1764201600000 implements MigrationInterface {
  name = 'InitialSchema1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.driver.options.type;
    const mysql = type !== 'sqljs';
    // Match keys compare byte for byte: case and trailing spaces count. SQLite's default collation is
    // already BINARY. On the server databases `utf8mb4_bin` is not enough (it is PAD SPACE: 'a' = 'a ');
    // the NO PAD binary collation is named differently by MariaDB and MySQL 8.
    const collation = type === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
    const text = (
      name: string,
      length: number,
      extra: Partial<TableColumnOptions> = {},
    ): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...(mysql ? { charset: 'utf8mb4', collation } : {}),
      ...extra,
    });
    const bigint = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'bigint',
      ...extra,
    });
    const eventColumns = (prefix: string): TableColumnOptions[] => [
      text(`${prefix}_session_id`, 32, { isNullable: true }),
      text(`${prefix}_interaction_id`, 50, { isNullable: true }),
      text(`${prefix}_application_type`, 64, { isNullable: true }),
      bigint(`${prefix}_application_id`, { isNullable: true }),
      text(`${prefix}_resource_type`, 64, { isNullable: true }),
      bigint(`${prefix}_resource_id`, { isNullable: true }),
      text(`${prefix}_media_type`, 64, { isNullable: true }),
    ];
    const trackedColumns: TableColumnOptions[] = [
      // SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY (which is 64-bit there).
      {
        name: 'id',
        type: mysql ? 'bigint' : 'integer',
        isPrimary: true,
        isGenerated: true,
        generationStrategy: 'increment',
      },
      text('tenant_id', 64),
      text('group_id', 64, { isNullable: true }),
      { name: 'active_marker', type: 'tinyint', isNullable: true },
      { name: 'est_duration', type: 'int', isNullable: true },
      bigint('started_at'),
      ...eventColumns('started'),
      bigint('completed_at', { isNullable: true }),
      ...eventColumns('completed'),
      text('disposition', 64, { isNullable: true }),
      text('disposition_desc', 64, { isNullable: true }),
      { name: 'extensions', type: 'json', isNullable: true },
    ];

    await queryRunner.createTable(
      new Table({
        name: 'services',
        columns: [
          ...trackedColumns,
          text('customer_id', 64, { default: "''" }),
          text('service_type', 64, { default: "''" }),
          text('contact_key', 128, { default: "''" }),
          bigint('expires_at', { isNullable: true }),
          { name: 'auto_complete_after', type: 'int', isNullable: true },
          bigint('last_activity_at'),
        ],
        indices: [
          {
            name: 'uq_services_composite_key',
            columnNames: [
              'tenant_id',
              'customer_id',
              'service_type',
              'contact_key',
              'active_marker',
            ],
            isUnique: true,
          },
          {
            // Composite matching looks for active services (completed_at IS NULL) with a key, however
            // many completed ones that key has accumulated.
            name: 'ix_services_key_completed',
            columnNames: [
              'tenant_id',
              'customer_id',
              'service_type',
              'contact_key',
              'completed_at',
            ],
          },
          {
            name: 'ix_services_contact_key',
            columnNames: ['tenant_id', 'contact_key', 'started_at'],
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'states',
        columns: [
          ...trackedColumns,
          bigint('service_id'),
          text('state_type', 64),
          bigint('previous_state_id', { isNullable: true }),
        ],
        indices: [
          {
            name: 'uq_states_composite_key',
            columnNames: ['service_id', 'state_type', 'active_marker'],
            isUnique: true,
          },
        ],
        foreignKeys: [
          {
            name: 'fk_states_service',
            columnNames: ['service_id'],
            referencedTableName: 'services',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'tasks',
        columns: [
          ...trackedColumns,
          bigint('service_id'),
          bigint('state_id', { isNullable: true }),
          bigint('state_scope', { default: 0 }),
          text('task_type', 64),
        ],
        indices: [
          {
            name: 'uq_tasks_composite_key',
            columnNames: ['service_id', 'state_scope', 'task_type', 'active_marker'],
            isUnique: true,
          },
          { name: 'ix_tasks_state', columnNames: ['state_id'] },
        ],
        foreignKeys: [
          {
            name: 'fk_tasks_service',
            columnNames: ['service_id'],
            referencedTableName: 'services',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            name: 'fk_tasks_state',
            columnNames: ['state_id'],
            referencedTableName: 'states',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tasks');
    await queryRunner.dropTable('states');
    await queryRunner.dropTable('services');
  }
}
