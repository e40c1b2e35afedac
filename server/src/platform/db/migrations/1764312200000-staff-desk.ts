import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

/** The four user types of the playbooks, offered as tags from the start (operators add their own). */
const defaultTags = [
  { name: '忠实用户', color: '#07c160' },
  { name: '潜力用户', color: '#1989fa' },
  { name: '价格敏感', color: '#ff976a' },
  { name: '需求较低', color: '#969799' },
];

/**
 * The console's desk work: the audit log, tags, one-to-one follow-ups, members removed from a
 * cohort, and the indexes behind the members table and the held-posts list.
 */
export class StaffDesk1764312200000 implements MigrationInterface {
  name = 'StaffDesk1764312200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          idColumn(),
          { name: 'actor_id', type: 'integer' },
          { name: 'action', type: 'varchar', length: '48' },
          { name: 'cohort_id', type: 'integer', isNullable: true },
          { name: 'member_id', type: 'integer', isNullable: true },
          { name: 'target_type', type: 'varchar', length: '24', isNullable: true },
          { name: 'target_id', type: 'integer', isNullable: true },
          { name: 'details', type: 'text', isNullable: true },
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['cohort_id', 'id'] }, { columnNames: ['member_id', 'id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tag',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '24' },
          { name: 'color', type: 'varchar', length: '16' },
          { name: 'created_by', type: 'integer', isNullable: true },
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['name'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'member_tag',
        columns: [
          { name: 'member_id', type: 'integer', isPrimary: true },
          { name: 'tag_id', type: 'integer', isPrimary: true },
          { name: 'tagged_by', type: 'integer' },
          instantColumn('tagged_at'),
        ],
        indices: [{ columnNames: ['tag_id'] }],
        foreignKeys: [foreignKey('member_id', 'member'), foreignKey('tag_id', 'tag')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'follow_up',
        columns: [
          { name: 'cohort_id', type: 'integer', isPrimary: true },
          { name: 'member_id', type: 'integer', isPrimary: true },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'note', type: 'varchar', length: '500', isNullable: true },
          { name: 'updated_by', type: 'integer' },
          instantColumn('updated_at'),
        ],
        indices: [{ columnNames: ['cohort_id', 'state'] }],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'follow_up_event',
        columns: [
          idColumn(),
          { name: 'cohort_id', type: 'integer' },
          { name: 'member_id', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'note', type: 'varchar', length: '500', isNullable: true },
          { name: 'actor_id', type: 'integer' },
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['cohort_id', 'member_id', 'id'] }],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.addColumns('enrollment', [
      new TableColumn(instantColumn('removed_at', true)),
      new TableColumn({ name: 'removed_by', type: 'integer', isNullable: true }),
    ]);
    await queryRunner.createIndex('checkin', new TableIndex({ columnNames: ['moderation', 'cohort_id', 'id'] }));
    // Points earned by a cohort's check-ins, read from the index alone (members table, exports).
    await queryRunner.createIndex('points_ledger', new TableIndex({ columnNames: ['ref_type', 'ref_id', 'delta'] }));

    // "YYYY-MM-DD HH:MM:SS.sss" in UTC: how TypeORM writes datetime(3) on both databases.
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    for (const tag of defaultTags) {
      await queryRunner.query('INSERT INTO tag (name, color, created_by, created_at) VALUES (?, ?, NULL, ?)', [tag.name, tag.color, now]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const dropIndexOn = async (table: string, columns: string) => {
      const found = (await queryRunner.getTable(table))?.indices.find((i) => i.columnNames.join() === columns);
      if (found) await queryRunner.dropIndex(table, found);
    };
    await dropIndexOn('points_ledger', 'ref_type,ref_id,delta');
    await dropIndexOn('checkin', 'moderation,cohort_id,id');
    await queryRunner.dropColumns('enrollment', ['removed_at', 'removed_by']);
    for (const table of ['follow_up_event', 'follow_up', 'member_tag', 'tag', 'audit_log']) await queryRunner.dropTable(table);
  }
}
