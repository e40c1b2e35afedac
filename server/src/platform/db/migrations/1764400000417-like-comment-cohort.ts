import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addFilledIntegerColumn } from './schema-helpers';

/**
 * Issue 17 (metrics under 300 ms): each like and comment carries its check-in's cohort, so the
 * metrics' likes, comments and the members who gave any are counted off (cohort, member) index
 * ranges instead of every like and comment of every cohort joined to its check-in. Filled from the
 * check-ins for the rows already there.
 */
export class LikeCommentCohort1764400000417 implements MigrationInterface {
  name = 'LikeCommentCohort1764400000417';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['checkin_like', 'checkin_comment']) {
      await addFilledIntegerColumn(queryRunner, table, 'cohort_id', `UPDATE ${table} SET cohort_id = (SELECT k.cohort_id FROM checkin k WHERE k.id = ${table}.checkin_id)`);
    }
    await queryRunner.createIndex('checkin_like', new TableIndex({ columnNames: ['cohort_id', 'member_id'] }));
    await queryRunner.createIndex('checkin_comment', new TableIndex({ columnNames: ['cohort_id', 'member_id', 'moderation'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of [['checkin_like', 'cohort_id,member_id'], ['checkin_comment', 'cohort_id,member_id,moderation']]) {
      const index = (await queryRunner.getTable(table))?.indices.find((i) => i.columnNames.join() === columns);
      if (index) await queryRunner.dropIndex(table, index);
      await queryRunner.dropColumn(table, 'cohort_id');
    }
  }
}
