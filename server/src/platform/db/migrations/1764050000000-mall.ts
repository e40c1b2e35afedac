import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

const integer = (name: string, isNullable = false) => ({ name, type: 'integer', isNullable });
const varchar = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

/** The points mall: products, stock audit, per-member quota counters, redemptions (orders). */
export class Mall1764050000000 implements MigrationInterface {
  name = 'Mall1764050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'mall_product',
        columns: [
          idColumn(),
          varchar('name', 64),
          { name: 'description', type: 'text' },
          { name: 'image_keys', type: 'text' },
          integer('points_price'),
          integer('stock'),
          integer('per_member_limit', true),
          { name: 'active', type: 'boolean' },
          varchar('kind', 16),
          integer('created_by'),
          instantColumn('created_at'),
          instantColumn('updated_at'),
        ],
        foreignKeys: [foreignKey('created_by', 'member', 'NO ACTION')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mall_stock_adjustment',
        columns: [
          idColumn(),
          integer('product_id'),
          integer('delta'),
          integer('stock_after'),
          varchar('note', 200),
          integer('actor_id'),
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['product_id', 'id'] }],
        foreignKeys: [foreignKey('product_id', 'mall_product'), foreignKey('actor_id', 'member', 'NO ACTION')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mall_member_quota',
        columns: [
          { ...integer('member_id'), isPrimary: true },
          { ...integer('product_id'), isPrimary: true },
          integer('redeemed'),
        ],
        indices: [{ columnNames: ['product_id'] }],
        foreignKeys: [foreignKey('member_id', 'member'), foreignKey('product_id', 'mall_product')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mall_redemption',
        columns: [
          idColumn(),
          integer('member_id'),
          integer('product_id'),
          varchar('request_id', 64),
          varchar('product_name', 64),
          varchar('kind', 16),
          integer('quantity'),
          integer('unit_price'),
          integer('points_total'),
          varchar('state', 16),
          { name: 'address', type: 'text', isNullable: true },
          varchar('carrier', 32, true),
          varchar('tracking_number', 64, true),
          varchar('virtual_code', 256, true),
          instantColumn('fulfilled_at', true),
          integer('fulfilled_by', true),
          instantColumn('cancelled_at', true),
          integer('cancelled_by', true),
          varchar('cancel_reason', 200, true),
          instantColumn('created_at'),
        ],
        indices: [
          { columnNames: ['member_id', 'request_id'], isUnique: true },
          { columnNames: ['member_id', 'id'] },
          { columnNames: ['product_id', 'id'] },
          { columnNames: ['state', 'id'] },
        ],
        foreignKeys: [foreignKey('member_id', 'member'), foreignKey('product_id', 'mall_product', 'NO ACTION')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['mall_redemption', 'mall_member_quota', 'mall_stock_adjustment', 'mall_product']) {
      await queryRunner.dropTable(table);
    }
  }
}
