import { MigrationInterface, QueryRunner } from 'typeorm';

/** The routine's name, and its arguments in order: `s_` the service's columns, `t_` the state's, `k_` the task's. */
const ROUTINE = 'composite_start_fresh';

const text = (length: number) => `VARCHAR(${length}) CHARACTER SET utf8mb4`;
/** The columns every tracked object starts with (docs/API.md §3: the event's fields and extensions). */
const START_COLUMNS: [string, string][] = [
  ['tenant_id', text(64)],
  ['group_id', text(64)],
  ['est_duration', 'INT'],
  ['started_at', 'BIGINT'],
  ['disposition', text(64)],
  ['disposition_desc', text(64)],
  ['extensions', 'LONGTEXT CHARACTER SET utf8mb4'],
  ['started_session_id', text(32)],
  ['started_interaction_id', text(50)],
  ['started_application_type', text(64)],
  ['started_application_id', 'BIGINT'],
  ['started_resource_type', text(64)],
  ['started_resource_id', 'BIGINT'],
  ['started_media_type', text(64)],
];
const SERVICE_COLUMNS: [string, string][] = [
  ...START_COLUMNS,
  ['customer_id', text(64)],
  ['service_type', text(64)],
  ['contact_key', text(128)],
  ['expires_at', 'BIGINT'],
  ['auto_complete_after', 'INT'],
  ['last_activity_at', 'BIGINT'],
];
const STATE_COLUMNS: [string, string][] = [...START_COLUMNS, ['state_type', text(64)]];
const TASK_COLUMNS: [string, string][] = [...START_COLUMNS, ['task_type', text(64)]];

const parameters = (prefix: string, columns: [string, string][]) =>
  columns.map(([name, type]) => `IN ${prefix}${name} ${type}`);
const names = (columns: [string, string][]) => columns.map(([name]) => name).join(', ');
const values = (prefix: string, columns: [string, string][]) =>
  columns.map(([name]) => `${prefix}${name}`).join(', ');

/**
 * Composite start's most common write, a single event whose service, state and task are all new, as one
 * statement: the three INSERTs in one CALL instead of three round trips, inside the caller's transaction
 * (the routine neither starts nor ends one). Each INSERT takes the id the one before it generated. A
 * concurrent request that created the service first makes the first INSERT fail on the unique key, with
 * nothing written, exactly as the plain INSERT would. MariaDB only: the embedded engine has no routines, and
 * MySQL 8 keeps its one-insert-at-a-time path (see insertsReturnIds).
 */
export class CompositeStartRoutine1764460800000 implements MigrationInterface {
  name = 'CompositeStartRoutine1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'mariadb') return;
    await queryRunner.query(
      `CREATE PROCEDURE ${ROUTINE}(${[
        ...parameters('s_', SERVICE_COLUMNS),
        ...parameters('t_', STATE_COLUMNS),
        ...parameters('k_', TASK_COLUMNS),
        'IN k_in_state TINYINT',
      ].join(', ')})
      MODIFIES SQL DATA SQL SECURITY INVOKER
      BEGIN
        DECLARE v_service_id BIGINT;
        DECLARE v_state_id BIGINT;
        DECLARE v_task_id BIGINT DEFAULT NULL;
        INSERT INTO services (${names(SERVICE_COLUMNS)}, active_marker)
          VALUES (${values('s_', SERVICE_COLUMNS)}, 1);
        SET v_service_id = LAST_INSERT_ID();
        INSERT INTO states (${names(STATE_COLUMNS)}, service_id, active_marker)
          VALUES (${values('t_', STATE_COLUMNS)}, v_service_id, 1);
        SET v_state_id = LAST_INSERT_ID();
        IF k_task_type IS NOT NULL THEN
          INSERT INTO tasks (${names(TASK_COLUMNS)}, service_id, state_id, state_scope, active_marker)
            VALUES (${values('k_', TASK_COLUMNS)}, v_service_id, IF(k_in_state, v_state_id, NULL),
              IF(k_in_state, v_state_id, 0), 1);
          SET v_task_id = LAST_INSERT_ID();
        END IF;
        SELECT v_service_id AS service_id, v_state_id AS state_id, v_task_id AS task_id;
      END`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'mariadb') return;
    await queryRunner.query(`DROP PROCEDURE IF EXISTS ${ROUTINE}`);
  }
}
