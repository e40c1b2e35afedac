import { TableColumn, TableForeignKey, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** Column shapes shared by migrations, written once so both dialects get the same types. */
export const idColumn = (): TableColumnOptions => ({
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export const instantColumn = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable,
});

/** A foreign key with the actions the entities declare (so schema comparison finds no drift). */
export const foreignKey = (column: string, referencedTable: string, onDelete: 'CASCADE' | 'NO ACTION' = 'CASCADE') =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: referencedTable,
    referencedColumnNames: ['id'],
    onDelete,
    onUpdate: 'NO ACTION',
  });

/**
 * Adds an integer column that rows already there must have too: nullable first, filled by `fill`
 * (an UPDATE), then made NOT NULL. The column is changed from the table's own reading of it, so
 * MySQL alters it in place (a changed type would make TypeORM drop and re-add it, data lost).
 */
export async function addFilledIntegerColumn(queryRunner: QueryRunner, tableName: string, column: string, fill: string): Promise<void> {
  await queryRunner.addColumn(tableName, new TableColumn({ name: column, type: 'integer', isNullable: true }));
  await queryRunner.query(fill);
  const table = await queryRunner.getTable(tableName);
  const added = table!.findColumnByName(column)!;
  const required = added.clone();
  required.isNullable = false;
  await queryRunner.changeColumn(table!, added, required);
}
