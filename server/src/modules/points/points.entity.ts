import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Member } from '../identity/member.entity';

/** The running balance; always equal to the sum of the member's ledger lines. */
@Entity({ name: 'member_points' })
export class MemberPoints {
  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ type: 'integer' })
  balance: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

/** Append-only. One line per award, fee or adjustment; the idempotency key makes each happen once. */
@Entity({ name: 'points_ledger' })
@Index(['memberId', 'id'])
@Index(['refType', 'refId', 'delta'])
export class PointsLedgerLine {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ type: 'integer' })
  delta: number;

  @Column({ type: 'varchar', length: 32 })
  reason: string;

  @Column({ name: 'ref_type', type: 'varchar', length: 32, nullable: true })
  refType: string | null;

  @Column({ name: 'ref_id', type: 'integer', nullable: true })
  refId: number | null;

  @Index({ unique: true })
  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  /** The operator who made an adjustment; null for automatic lines. */
  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
