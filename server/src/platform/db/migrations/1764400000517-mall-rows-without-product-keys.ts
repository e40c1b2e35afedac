import type { MigrationInterface, QueryRunner } from 'typeorm';
import { foreignKey } from './schema-helpers';

/**
 * The redemption rush (issue 17): an order row and a member's counter row no longer carry a foreign
 * key to their product. Checking one takes a shared lock on the product row until the transaction
 * ends, which forced every purchase to take the stock (the product row's write lock) before writing
 * its rows and so to hold it across all of them: a rush queued behind it. Products are never deleted,
 * and a purchase's own conditional stock decrement (the last statement of its transaction) proves
 * the product exists before anything is committed.
 */
export class MallRowsWithoutProductKeys1764400000517 implements MigrationInterface {
  name = 'MallRowsWithoutProductKeys1764400000517';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['mall_redemption', 'mall_member_quota']) {
      const table = await queryRunner.getTable(name);
      const key = table?.foreignKeys.find((fk) => fk.columnNames.length === 1 && fk.columnNames[0] === 'product_id');
      if (table && key) await queryRunner.dropForeignKey(table, key);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createForeignKey('mall_member_quota', foreignKey('product_id', 'mall_product'));
    await queryRunner.createForeignKey('mall_redemption', foreignKey('product_id', 'mall_product', 'NO ACTION'));
  }
}
