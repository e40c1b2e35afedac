import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { foreignKey, idColumn, instantColumn } from './schema-helpers';

/**
 * Filling a cohort (issue 14): share codes for posters and cards, every open of a share, who
 * invited whom (once per invitee) and how many invitees earned each inviter a reward per cohort;
 * the cohort's invite reward and its group QR; when a check-in earned the group bonus by sharing.
 */
export class InvitationsGroupEntry1764340000014 implements MigrationInterface {
  name = 'InvitationsGroupEntry1764340000014';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cohort', [
      new TableColumn({ name: 'invite_reward_points', type: 'integer', default: 20 }),
      new TableColumn({ name: 'invite_reward_limit', type: 'integer', default: 10 }),
      new TableColumn({ name: 'group_qr_key', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn(instantColumn('group_qr_uploaded_at', true)),
    ]);
    await queryRunner.addColumn('checkin', new TableColumn(instantColumn('group_shared_at', true)));

    await queryRunner.createTable(
      new Table({
        name: 'share_code',
        columns: [
          idColumn(),
          { name: 'code', type: 'varchar', length: '16' },
          { name: 'cohort_id', type: 'integer' },
          { name: 'inviter_id', type: 'integer' },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'image_key', type: 'varchar', length: '200', isNullable: true },
          instantColumn('created_at'),
        ],
        indices: [
          { columnNames: ['code'], isUnique: true },
          { columnNames: ['cohort_id', 'inviter_id', 'source'], isUnique: true },
          { columnNames: ['inviter_id'] },
        ],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('inviter_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'referral_open',
        columns: [
          idColumn(),
          { name: 'share_code_id', type: 'integer' },
          { name: 'cohort_id', type: 'integer' },
          { name: 'member_id', type: 'integer', isNullable: true },
          { name: 'source', type: 'varchar', length: '16' },
          instantColumn('created_at'),
        ],
        indices: [
          { columnNames: ['cohort_id', 'source'] },
          { columnNames: ['cohort_id', 'member_id'] },
          { columnNames: ['share_code_id'] },
          { columnNames: ['member_id'] },
        ],
        foreignKeys: [foreignKey('share_code_id', 'share_code'), foreignKey('cohort_id', 'cohort'), foreignKey('member_id', 'member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'referral',
        columns: [
          idColumn(),
          { name: 'cohort_id', type: 'integer' },
          { name: 'inviter_id', type: 'integer' },
          { name: 'invitee_id', type: 'integer' },
          { name: 'share_code_id', type: 'integer' },
          { name: 'source', type: 'varchar', length: '16' },
          instantColumn('created_at'),
          instantColumn('first_checkin_at', true),
          { name: 'reward_points', type: 'integer', isNullable: true },
        ],
        indices: [
          { columnNames: ['invitee_id'], isUnique: true },
          { columnNames: ['inviter_id', 'id'] },
          { columnNames: ['cohort_id', 'inviter_id'] },
          { columnNames: ['share_code_id'] },
        ],
        foreignKeys: [
          foreignKey('cohort_id', 'cohort'),
          foreignKey('inviter_id', 'member'),
          foreignKey('invitee_id', 'member'),
          foreignKey('share_code_id', 'share_code'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'referral_tally',
        columns: [
          { name: 'cohort_id', type: 'integer', isPrimary: true },
          { name: 'inviter_id', type: 'integer', isPrimary: true },
          { name: 'rewarded', type: 'integer' },
        ],
        indices: [{ columnNames: ['inviter_id'] }],
        foreignKeys: [foreignKey('cohort_id', 'cohort'), foreignKey('inviter_id', 'member')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['referral_tally', 'referral', 'referral_open', 'share_code']) await queryRunner.dropTable(table);
    await queryRunner.dropColumn('checkin', 'group_shared_at');
    await queryRunner.dropColumns('cohort', ['invite_reward_points', 'invite_reward_limit', 'group_qr_key', 'group_qr_uploaded_at']);
  }
}
