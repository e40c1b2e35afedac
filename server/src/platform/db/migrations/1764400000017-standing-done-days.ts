import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The lean check-in (issue 17): the days a member has checked in and the make-ups used, kept on the
 * member's standing row in the cohort, so one conditional update both claims the day and says what
 * came before (no lock and no read of the day history). Filled from the check-ins already there.
 */
export class StandingDoneDays1764400000017 implements MigrationInterface {
  name = 'StandingDoneDays1764400000017';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cohort_standing', [
      new TableColumn({ name: 'done_days', type: 'integer', default: 0 }),
      new TableColumn({ name: 'make_ups_used', type: 'integer', default: 0 }),
    ]);
    // Every member with a check-in has a standing row (each check-in and the standings migration made one).
    await queryRunner.query(
      `UPDATE cohort_standing SET
         done_days = (SELECT COALESCE(SUM(1 << (c.day_index - 1)), 0) FROM checkin c
                      WHERE c.cohort_id = cohort_standing.cohort_id AND c.member_id = cohort_standing.member_id),
         make_ups_used = (SELECT COUNT(*) FROM checkin c
                          WHERE c.cohort_id = cohort_standing.cohort_id AND c.member_id = cohort_standing.member_id AND c.is_make_up = 1)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cohort_standing', 'make_ups_used');
    await queryRunner.dropColumn('cohort_standing', 'done_days');
  }
}
