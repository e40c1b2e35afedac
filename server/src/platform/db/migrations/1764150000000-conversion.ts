import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

export class Conversion1764150000000 implements MigrationInterface {
  name = 'Conversion1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('cohort', new TableColumn({ name: 'next_cohort_id', type: 'integer', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'offer',
        columns: [
          idColumn(),
          { name: 'cohort_id', type: 'integer' },
          { name: 'round', type: 'integer' },
          { name: 'title', type: 'varchar', length: '64' },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'price_fen', type: 'integer' },
          { name: 'original_price_fen', type: 'integer', isNullable: true },
          instantColumn('opens_at'),
          instantColumn('closes_at'),
          { name: 'audience', type: 'varchar', length: '16' },
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['cohort_id', 'round'], isUnique: true }],
        foreignKeys: [foreignKey('cohort_id', 'cohort')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'offer_view',
        columns: [
          { name: 'offer_id', type: 'integer', isPrimary: true },
          { name: 'member_id', type: 'integer', isPrimary: true },
          instantColumn('viewed_at'),
        ],
        indices: [{ columnNames: ['member_id'] }],
        foreignKeys: [foreignKey('offer_id', 'offer'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'offer_order',
        columns: [
          idColumn(),
          { name: 'offer_id', type: 'integer' },
          { name: 'cohort_id', type: 'integer' },
          { name: 'round', type: 'integer' },
          { name: 'member_id', type: 'integer' },
          { name: 'out_trade_no', type: 'varchar', length: '32' },
          { name: 'amount_fen', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'prepay_params', type: 'text', isNullable: true },
          { name: 'transaction_id', type: 'varchar', length: '64', isNullable: true },
          instantColumn('created_at'),
          instantColumn('paid_at', true),
        ],
        indices: [
          { columnNames: ['offer_id', 'member_id'] },
          { columnNames: ['cohort_id', 'state'] },
          { columnNames: ['member_id'] },
          { columnNames: ['out_trade_no'], isUnique: true },
        ],
        foreignKeys: [foreignKey('offer_id', 'offer'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cohort_outcome',
        columns: [
          { name: 'cohort_id', type: 'integer', isPrimary: true },
          { name: 'member_id', type: 'integer', isPrimary: true },
          { name: 'completed', type: 'boolean' },
          { name: 'converted', type: 'boolean' },
          instantColumn('recorded_at'),
        ],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['cohort_outcome', 'offer_order', 'offer_view', 'offer']) await queryRunner.dropTable(table);
    await queryRunner.dropColumn('cohort', 'next_cohort_id');
  }
}
