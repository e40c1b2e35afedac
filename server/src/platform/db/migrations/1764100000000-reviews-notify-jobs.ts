import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

export class ReviewsNotifyJobs1764100000000 implements MigrationInterface {
  name = 'ReviewsNotifyJobs1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('checkin', [
      new TableColumn(instantColumn('reviewed_at', true)),
      new TableColumn({ name: 'featured', type: 'boolean', default: 0 }),
    ]);
    await queryRunner.createIndex('checkin', new TableIndex({ columnNames: ['cohort_id', 'reviewed_at', 'id'] }));
    await queryRunner.addColumn('cohort', new TableColumn({ name: 'reminder_time', type: 'varchar', length: '5', default: "'08:00'" }));

    await queryRunner.createTable(
      new Table({
        name: 'review',
        columns: [
          idColumn(),
          { name: 'checkin_id', type: 'integer' },
          { name: 'teacher_id', type: 'integer' },
          { name: 'text', type: 'text' },
          { name: 'audio_key', type: 'varchar', length: '128', isNullable: true },
          { name: 'audio_seconds', type: 'integer', isNullable: true },
          instantColumn('created_at'),
          instantColumn('updated_at'),
        ],
        indices: [{ columnNames: ['checkin_id'], isUnique: true }, { columnNames: ['teacher_id'] }],
        foreignKeys: [foreignKey('checkin_id', 'checkin'), foreignKey('teacher_id', 'member', 'NO ACTION')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'review_template',
        columns: [idColumn(), { name: 'teacher_id', type: 'integer' }, { name: 'text', type: 'varchar', length: '500' }, instantColumn('created_at')],
        indices: [{ columnNames: ['teacher_id'] }],
        foreignKeys: [foreignKey('teacher_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'subscription_consent',
        columns: [
          { name: 'member_id', type: 'integer', isPrimary: true },
          { name: 'template_key', type: 'varchar', length: '32', isPrimary: true },
          { name: 'sends_left', type: 'integer' },
          instantColumn('updated_at'),
        ],
        foreignKeys: [foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification',
        columns: [
          idColumn(),
          { name: 'member_id', type: 'integer' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'dedupe_key', type: 'varchar', length: '160' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'payload', type: 'text' },
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['dedupe_key'], isUnique: true }, { columnNames: ['member_id', 'id'] }],
        foreignKeys: [foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'job_run',
        columns: [
          { name: 'job_name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'period_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'claimed_by', type: 'varchar', length: '64' },
          instantColumn('claimed_at'),
          instantColumn('finished_at', true),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['job_run', 'notification', 'subscription_consent', 'review_template', 'review']) await queryRunner.dropTable(table);
    await queryRunner.dropColumn('cohort', 'reminder_time');
    const checkin = await queryRunner.getTable('checkin');
    const queueIndex = checkin?.indices.find((index) => index.columnNames.join() === 'cohort_id,reviewed_at,id');
    if (queueIndex) await queryRunner.dropIndex('checkin', queueIndex);
    await queryRunner.dropColumns('checkin', ['featured', 'reviewed_at']);
  }
}
