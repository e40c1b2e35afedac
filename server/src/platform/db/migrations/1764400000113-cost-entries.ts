import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

/** Console part two (issue 13): the costs an operator records for a cohort (prizes, ads, teacher hours), for its ROI. */
export class CostEntries1764400000113 implements MigrationInterface {
  name = 'CostEntries1764400000113';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cost_entry',
        columns: [
          idColumn(),
          { name: 'cohort_id', type: 'integer' },
          { name: 'category', type: 'varchar', length: '16' },
          { name: 'amount_fen', type: 'integer' },
          { name: 'note', type: 'varchar', length: '200' },
          { name: 'incurred_on', type: 'varchar', length: '10' },
          { name: 'created_by', type: 'integer' },
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['cohort_id', 'id'] }],
        foreignKeys: [foreignKey('cohort_id', 'cohort')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cost_entry');
  }
}
