import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, instantColumn } from './schema-helpers';

export class Identity1763870000000 implements MigrationInterface {
  name = 'Identity1763870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'member',
        columns: [
          idColumn(),
          { name: 'openid', type: 'varchar', length: '64' },
          { name: 'unionid', type: 'varchar', length: '64', isNullable: true },
          { name: 'nickname', type: 'varchar', length: '64', isNullable: true },
          { name: 'avatar_url', type: 'varchar', length: '512', isNullable: true },
          { name: 'session_key', type: 'varchar', length: '64', isNullable: true },
          instantColumn('created_at'),
          instantColumn('last_login_at'),
        ],
        indices: [{ columnNames: ['openid'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'member_role',
        columns: [
          { name: 'member_id', type: 'integer', isPrimary: true },
          { name: 'role', type: 'varchar', length: '16', isPrimary: true },
          { name: 'granted_by', type: 'integer', isNullable: true },
          instantColumn('granted_at'),
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['member_id'], referencedTableName: 'member', referencedColumnNames: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_token',
        columns: [
          idColumn(),
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'member_id', type: 'integer' },
          instantColumn('created_at'),
          instantColumn('expires_at'),
        ],
        indices: [{ columnNames: ['token_hash'], isUnique: true }, { columnNames: ['member_id'] }],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['member_id'], referencedTableName: 'member', referencedColumnNames: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_token');
    await queryRunner.dropTable('member_role');
    await queryRunner.dropTable('member');
  }
}
