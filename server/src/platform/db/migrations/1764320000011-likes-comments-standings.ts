import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

/**
 * The run of consecutive days ending at the last day checked in, as the streak rules counted it
 * when this migration was written. Kept here rather than imported from the check-in module: a
 * migration must do tomorrow what it did today, whatever becomes of the module's code.
 */
function lastRun(days: ReadonlySet<number>): { lastDay: number; length: number } {
  if (days.size === 0) return { lastDay: 0, length: 0 };
  const lastDay = Math.max(...days);
  let length = 0;
  while (days.has(lastDay - length)) length++;
  return { lastDay, length };
}

const integer = (name: string, defaultValue?: number) => ({ name, type: 'integer', ...(defaultValue === undefined ? {} : { default: defaultValue }) });

/**
 * What a check-in holds (kinds per cohort, a recording), likes and comments, and each member's
 * standing per cohort for the leaderboard, filled from the check-ins and ledger already there.
 */
export class LikesCommentsStandings1764320000011 implements MigrationInterface {
  name = 'LikesCommentsStandings1764320000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cohort', [
      new TableColumn({ name: 'checkin_kinds', type: 'varchar', length: '32', default: "'text,photo,voice'" }),
      new TableColumn({ name: 'max_audio_seconds', type: 'integer', default: 60 }),
    ]);
    await queryRunner.addColumns('checkin', [
      new TableColumn({ name: 'audio_key', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'audio_seconds', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'like_count', type: 'integer', default: 0 }),
      new TableColumn({ name: 'comment_count', type: 'integer', default: 0 }),
    ]);
    await queryRunner.createIndex('checkin', new TableIndex({ columnNames: ['cohort_id', 'featured', 'id'] }));
    // The leaderboard counts a member's rank among all standings, less those of members who left.
    await queryRunner.createIndex('enrollment', new TableIndex({ columnNames: ['cohort_id', 'left_at'] }));

    await queryRunner.createTable(
      new Table({
        name: 'checkin_like',
        columns: [{ ...integer('checkin_id'), isPrimary: true }, { ...integer('member_id'), isPrimary: true }, instantColumn('created_at')],
        indices: [{ columnNames: ['member_id'] }],
        foreignKeys: [foreignKey('checkin_id', 'checkin'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'checkin_comment',
        columns: [
          idColumn(),
          integer('checkin_id'),
          integer('member_id'),
          { name: 'text', type: 'varchar', length: '500' },
          { name: 'moderation', type: 'varchar', length: '16' },
          instantColumn('created_at'),
        ],
        indices: [{ columnNames: ['checkin_id', 'id'] }, { columnNames: ['member_id'] }],
        foreignKeys: [foreignKey('checkin_id', 'checkin'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cohort_standing',
        columns: [
          { ...integer('cohort_id'), isPrimary: true },
          { ...integer('member_id'), isPrimary: true },
          integer('points', 0),
          instantColumn('points_at', true),
          integer('streak_days', 0),
          integer('streak_last_day', 0),
          instantColumn('streak_at', true),
          integer('likes', 0),
          instantColumn('likes_at', true),
        ],
        indices: [
          { columnNames: ['cohort_id', 'points', 'points_at'] },
          { columnNames: ['cohort_id', 'likes', 'likes_at'] },
          { columnNames: ['cohort_id', 'streak_last_day', 'streak_days', 'streak_at'] },
          { columnNames: ['member_id'] },
        ],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
    await this.fillStandings(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['cohort_standing', 'checkin_comment', 'checkin_like']) await queryRunner.dropTable(table);
    const checkin = await queryRunner.getTable('checkin');
    const index = checkin?.indices.find((i) => i.columnNames.join() === 'cohort_id,featured,id');
    if (index) await queryRunner.dropIndex('checkin', index);
    const enrollment = await queryRunner.getTable('enrollment');
    const leftIndex = enrollment?.indices.find((i) => i.columnNames.join() === 'cohort_id,left_at');
    if (leftIndex) await queryRunner.dropIndex('enrollment', leftIndex);
    await queryRunner.dropColumns('checkin', ['audio_key', 'audio_seconds', 'like_count', 'comment_count']);
    await queryRunner.dropColumns('cohort', ['checkin_kinds', 'max_audio_seconds']);
  }

  /** Points earned by each member's check-ins per cohort (from the ledger) and their last run of days. */
  private async fillStandings(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO cohort_standing (cohort_id, member_id, points, points_at, streak_days, streak_last_day, likes)
       SELECT c.cohort_id, c.member_id, SUM(l.delta), MAX(l.created_at), 0, 0, 0
       FROM points_ledger l JOIN checkin c ON l.ref_type = 'checkin' AND l.ref_id = c.id
       WHERE l.delta > 0
       GROUP BY c.cohort_id, c.member_id`,
    );
    const rows: Array<{ cohortId: number; memberId: number; dayIndex: number; createdAt: Date | string }> = await queryRunner.query(
      'SELECT cohort_id AS cohortId, member_id AS memberId, day_index AS dayIndex, created_at AS createdAt FROM checkin',
    );
    const byMember = new Map<string, Array<{ dayIndex: number; createdAt: Date }>>();
    for (const row of rows) {
      const key = `${row.cohortId}:${row.memberId}`;
      byMember.set(key, [...(byMember.get(key) ?? []), { dayIndex: Number(row.dayIndex), createdAt: readInstant(row.createdAt) }]);
    }
    const withPoints: Array<{ cohortId: number; memberId: number }> = await queryRunner.query(
      'SELECT cohort_id AS cohortId, member_id AS memberId FROM cohort_standing',
    );
    const existing = new Set(withPoints.map((row) => `${row.cohortId}:${row.memberId}`));
    for (const [key, checkins] of byMember) {
      const [cohortId, memberId] = key.split(':').map(Number);
      const run = lastRun(new Set(checkins.map((c) => c.dayIndex)));
      // The run reached its length with the latest check-in among its days (a make-up may come late).
      const reachedAt = writeInstant(new Date(Math.max(
        ...checkins.filter((c) => c.dayIndex > run.lastDay - run.length).map((c) => c.createdAt.getTime()),
      )));
      if (existing.has(key)) {
        await queryRunner.query(
          'UPDATE cohort_standing SET streak_days = ?, streak_last_day = ?, streak_at = ? WHERE cohort_id = ? AND member_id = ?',
          [run.length, run.lastDay, reachedAt, cohortId, memberId],
        );
      } else {
        await queryRunner.query(
          `INSERT INTO cohort_standing (cohort_id, member_id, points, streak_days, streak_last_day, streak_at, likes)
           VALUES (?, ?, 0, ?, ?, ?, 0)`,
          [cohortId, memberId, run.length, run.lastDay, reachedAt],
        );
      }
    }
  }
}

/** mysql2 reads DATETIME as a Date (UTC on our connections); better-sqlite3 as "YYYY-MM-DD HH:MM:SS.SSS" in UTC. */
function readInstant(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

/** UTC "YYYY-MM-DD HH:MM:SS.SSS", which both databases take for a DATETIME(3) parameter. */
function writeInstant(instant: Date): string {
  return instant.toISOString().replace('T', ' ').replace('Z', '');
}
