import { TableForeignKey, type TableColumnOptions } from 'typeorm';

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
