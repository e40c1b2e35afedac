import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

/** Console part two (issue 13): announcements staff schedule for a cohort's day (早安 / 干货 / 互动 / 总结). */
export class CohortAnnouncements1764400000213 implements MigrationInterface {
  name = 'CohortAnnouncements1764400000213';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cohort_announcement',
        columns: [
          idColumn(),
          { name: 'cohort_id', type: 'integer' },
          { name: 'slot', type: 'varchar', length: '16' },
          { name: 'title', type: 'varchar', length: '40' },
          { name: 'body', type: 'text' },
          instantColumn('scheduled_at'),
          { name: 'state', type: 'varchar', length: '16' },
          instantColumn('published_at', true),
          { name: 'recipients', type: 'integer', isNullable: true },
          { name: 'messages_sent', type: 'integer', isNullable: true },
          { name: 'created_by', type: 'integer' },
          instantColumn('created_at'),
          instantColumn('updated_at'),
        ],
        indices: [{ columnNames: ['cohort_id', 'scheduled_at'] }, { columnNames: ['state', 'scheduled_at'] }],
        foreignKeys: [foreignKey('cohort_id', 'cohort')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cohort_announcement');
  }
}
