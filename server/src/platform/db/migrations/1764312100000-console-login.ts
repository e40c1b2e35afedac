import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

/** The web console's QR login tickets and its 12-hour sessions. */
export class ConsoleLogin1764312100000 implements MigrationInterface {
  name = 'ConsoleLogin1764312100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'console_login_ticket',
        columns: [
          idColumn(),
          { name: 'ticket_hash', type: 'varchar', length: '64' },
          instantColumn('created_at'),
          instantColumn('expires_at'),
          { name: 'browser_ip', type: 'varchar', length: '64' },
          { name: 'browser_agent', type: 'varchar', length: '256' },
          { name: 'approved_by', type: 'integer', isNullable: true },
          instantColumn('approved_at', true),
          instantColumn('collected_at', true),
        ],
        indices: [{ columnNames: ['ticket_hash'], isUnique: true }, { columnNames: ['expires_at'] }],
        foreignKeys: [foreignKey('approved_by', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'console_session',
        columns: [
          idColumn(),
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'member_id', type: 'integer' },
          { name: 'via', type: 'varchar', length: '8' },
          { name: 'browser_ip', type: 'varchar', length: '64' },
          { name: 'browser_agent', type: 'varchar', length: '256' },
          instantColumn('created_at'),
          instantColumn('expires_at'),
        ],
        indices: [{ columnNames: ['token_hash'], isUnique: true }, { columnNames: ['member_id'] }],
        foreignKeys: [foreignKey('member_id', 'member')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('console_session');
    await queryRunner.dropTable('console_login_ticket');
  }
}
