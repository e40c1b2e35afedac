import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addFilledIntegerColumn } from './schema-helpers';

/**
 * Issue 17 (metrics under 300 ms): each review carries its check-in's cohort and review latency, so
 * the metrics' per-teacher section (reviews, share, average latency) reads one covering index range
 * (cohort, teacher, latency) instead of joining the cohort's check-ins to their reviews row by row.
 * Filled from the check-ins for the reviews already there.
 */
export class ReviewCohort1764400000317 implements MigrationInterface {
  name = 'ReviewCohort1764400000317';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addFilledIntegerColumn(
      queryRunner, 'review', 'cohort_id',
      'UPDATE review SET cohort_id = (SELECT k.cohort_id FROM checkin k WHERE k.id = review.checkin_id)',
    );
    await queryRunner.addColumn('review', new TableColumn({ name: 'latency_seconds', type: 'integer', isNullable: true }));
    await queryRunner.query('UPDATE review SET latency_seconds = (SELECT k.review_latency_seconds FROM checkin k WHERE k.id = review.checkin_id)');
    await queryRunner.createIndex('review', new TableIndex({ columnNames: ['cohort_id', 'teacher_id', 'latency_seconds'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const review = await queryRunner.getTable('review');
    const index = review?.indices.find((i) => i.columnNames.join() === 'cohort_id,teacher_id,latency_seconds');
    if (index) await queryRunner.dropIndex('review', index);
    await queryRunner.dropColumn('review', 'latency_seconds');
    await queryRunner.dropColumn('review', 'cohort_id');
  }
}
