import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

const integer = (name: string, isNullable = false) => ({ name, type: 'integer', isNullable });

export class CohortsCheckinsPoints1763960000000 implements MigrationInterface {
  name = 'CohortsCheckinsPoints1763960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cohort',
        columns: [
          idColumn(),
          { name: 'title', type: 'varchar', length: '64' },
          { name: 'theme', type: 'varchar', length: '32' },
          integer('duration_days'),
          { name: 'start_date', type: 'varchar', length: '10' },
          { name: 'cover_image_url', type: 'varchar', length: '512', isNullable: true },
          { name: 'rules', type: 'text', isNullable: true },
          { name: 'welcome_message', type: 'text', isNullable: true },
          { name: 'announcement', type: 'text', isNullable: true },
          { name: 'group_opengid', type: 'varchar', length: '128', isNullable: true },
          instantColumn('group_bound_at', true),
          integer('base_points'),
          integer('group_bonus_points'),
          integer('streak_bonus_points'),
          integer('completion_bonus_points'),
          integer('make_up_cost'),
          integer('make_up_limit'),
          integer('cloned_from_id', true),
          instantColumn('disbanded_at', true),
          integer('created_by'),
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['group_opengid'] }],
        foreignKeys: [foreignKey('created_by', 'member', 'NO ACTION')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cohort_prompt',
        columns: [
          { ...integer('cohort_id'), isPrimary: true },
          { ...integer('day_index'), isPrimary: true },
          { name: 'text', type: 'varchar', length: '500' },
        ],
        foreignKeys: [foreignKey('cohort_id', 'cohort')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cohort_teacher',
        columns: [
          { ...integer('cohort_id'), isPrimary: true },
          { ...integer('member_id'), isPrimary: true },
        ],
        indices: [{ columnNames: ['member_id'] }],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'enrollment',
        columns: [idColumn(), integer('cohort_id'), integer('member_id'), instantColumn('joined_at'), instantColumn('left_at', true)],
        indices: [{ columnNames: ['cohort_id', 'member_id'], isUnique: true }, { columnNames: ['member_id'] }],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'checkin',
        columns: [
          idColumn(),
          integer('cohort_id'),
          integer('member_id'),
          integer('day_index'),
          { name: 'business_date', type: 'varchar', length: '10' },
          { name: 'text', type: 'text' },
          { name: 'image_keys', type: 'text' },
          { name: 'via_group', type: 'boolean' },
          { name: 'is_make_up', type: 'boolean' },
          { name: 'moderation', type: 'varchar', length: '16' },
          instantColumn('created_at'),
        ],
        indices: [
          { columnNames: ['cohort_id', 'member_id', 'day_index'], isUnique: true },
          { columnNames: ['cohort_id', 'id'] },
          { columnNames: ['member_id'] },
        ],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'member_points',
        columns: [{ ...integer('member_id'), isPrimary: true }, integer('balance'), instantColumn('updated_at')],
        foreignKeys: [foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'points_ledger',
        columns: [
          idColumn(),
          integer('member_id'),
          integer('delta'),
          { name: 'reason', type: 'varchar', length: '32' },
          { name: 'ref_type', type: 'varchar', length: '32', isNullable: true },
          integer('ref_id', true),
          { name: 'idempotency_key', type: 'varchar', length: '128' },
          { name: 'note', type: 'varchar', length: '200', isNullable: true },
          integer('actor_id', true),
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['idempotency_key'], isUnique: true }, { columnNames: ['member_id', 'id'] }],
        foreignKeys: [foreignKey('member_id', 'member')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['points_ledger', 'member_points', 'checkin', 'enrollment', 'cohort_teacher', 'cohort_prompt', 'cohort']) {
      await queryRunner.dropTable(table);
    }
  }
}
