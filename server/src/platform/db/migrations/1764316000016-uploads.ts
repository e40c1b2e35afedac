import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

/**
 * Who uploaded each file (upload) and what refers to it (upload_use): check-ins, avatars, reviews
 * and products may use only their author's uploads, and files nothing refers to are cleaned up.
 * Files uploaded before this migration have no row and are left alone.
 */
export class Uploads1764316000016 implements MigrationInterface {
  name = 'Uploads1764316000016';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'upload',
        columns: [
          idColumn(),
          { name: 'storage_key', type: 'varchar', length: '200' },
          { name: 'owner_id', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'content_type', type: 'varchar', length: '64' },
          { name: 'bytes', type: 'integer' },
          { name: 'duration_seconds', type: 'integer', isNullable: true },
          instantColumn('created_at'),
        ],
        indices: [
          { columnNames: ['storage_key'], isUnique: true },
          { columnNames: ['owner_id', 'created_at'] },
          { columnNames: ['created_at'] },
        ],
        foreignKeys: [foreignKey('owner_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'upload_use',
        columns: [
          { name: 'upload_id', type: 'integer', isPrimary: true },
          { name: 'ref_type', type: 'varchar', length: '32', isPrimary: true },
          { name: 'ref_id', type: 'integer', isPrimary: true },
        ],
        indices: [{ columnNames: ['ref_type', 'ref_id'] }],
        foreignKeys: [foreignKey('upload_id', 'upload')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('upload_use');
    await queryRunner.dropTable('upload');
  }
}
