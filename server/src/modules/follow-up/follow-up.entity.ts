import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Cohort } from '../cohort/cohort.entity';
import { Member } from '../identity/member.entity';
import type { FollowUpState } from './follow-up-rules';

/** An operator-defined tag (e.g. the playbooks' four user types). */
@Entity({ name: 'tag' })
export class Tag {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 24 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  color: string;

  /** Null for the tags the product ships with. */
  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** A tag on a member (a person is price-sensitive whichever cohort they are in). */
@Entity({ name: 'member_tag' })
export class MemberTag {
  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @PrimaryColumn({ name: 'tag_id', type: 'integer' })
  @Index()
  @ForeignKey(() => Tag, { onDelete: 'CASCADE' })
  tagId: number;

  @Column({ name: 'tagged_by', type: 'integer' })
  taggedBy: number;

  @Column({ name: 'tagged_at', type: 'datetime', precision: 3 })
  taggedAt: Date;
}

/** Where staff stand with one member of one cohort: the latest of the follow-up events. */
@Entity({ name: 'follow_up' })
@Index(['cohortId', 'state'])
export class FollowUp {
  @PrimaryColumn({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ type: 'varchar', length: 16 })
  state: FollowUpState;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ name: 'updated_by', type: 'integer' })
  updatedBy: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

/** One contact with a member, as staff recorded it: the follow-up's history (who, when, what). */
@Entity({ name: 'follow_up_event' })
@Index(['cohortId', 'memberId', 'id'])
export class FollowUpEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ type: 'varchar', length: 16 })
  state: FollowUpState;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ name: 'actor_id', type: 'integer' })
  actorId: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
