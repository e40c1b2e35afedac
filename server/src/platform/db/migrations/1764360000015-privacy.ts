import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantColumn } from './schema-helpers';

/**
 * Privacy (issue 15): when a member deleted their account (the row stays, anonymized, for the
 * accounting records tied to it), and an index for the retention job that purges the delivery
 * addresses of redemptions fulfilled long ago.
 */
export class Privacy1764360000015 implements MigrationInterface {
  name = 'Privacy1764360000015';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('member', new TableColumn(instantColumn('deleted_at', true)));
    await queryRunner.createIndex('mall_redemption', new TableIndex({ columnNames: ['state', 'fulfilled_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const redemption = await queryRunner.getTable('mall_redemption');
    const index = redemption?.indices.find((i) => i.columnNames.join() === 'state,fulfilled_at');
    if (index) await queryRunner.dropIndex('mall_redemption', index);
    await queryRunner.dropColumn('member', 'deleted_at');
  }
}
