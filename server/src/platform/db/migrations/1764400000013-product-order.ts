import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Console part two (issue 13): the catalogue order operators choose for products. */
export class ProductOrder1764400000013 implements MigrationInterface {
  name = 'ProductOrder1764400000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('mall_product', new TableColumn({ name: 'sort_order', type: 'integer', default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('mall_product', 'sort_order');
  }
}
