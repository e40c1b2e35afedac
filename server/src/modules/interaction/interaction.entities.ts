import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ModerationState } from '../checkin/checkin.entity';
import { Checkin } from '../checkin/checkin.entity';
import { Member } from '../identity/member.entity';

/** One member's like of one check-in: the primary key is what makes "one like each" true. */
@Entity({ name: 'checkin_like' })
export class CheckinLike {
  @PrimaryColumn({ name: 'checkin_id', type: 'integer' })
  @ForeignKey(() => Checkin, { onDelete: 'CASCADE' })
  checkinId: number;

  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @Index()
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** A comment under a check-in, by a member of its cohort or by staff. Deleting it removes it. */
@Entity({ name: 'checkin_comment' })
@Index(['checkinId', 'id'])
export class CheckinComment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'checkin_id', type: 'integer' })
  @ForeignKey(() => Checkin, { onDelete: 'CASCADE' })
  checkinId: number;

  @Index()
  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  /** `review`: the content check held it; only its author and staff see it. */
  @Column({ type: 'varchar', length: 16 })
  moderation: ModerationState;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

export const interactionEntities = [CheckinLike, CheckinComment];
