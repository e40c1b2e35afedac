import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { Member } from './member.entity';
import type { GrantableRole } from './roles';

/** A role granted to a member beyond the implicit "member" role. */
@Entity({ name: 'member_role' })
export class MemberRole {
  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  role: GrantableRole;

  /** Who granted it; null when granted by OPERATOR_OPENIDS at login. */
  @Column({ name: 'granted_by', type: 'integer', nullable: true })
  grantedBy: number | null;

  @Column({ name: 'granted_at', type: 'datetime', precision: 3 })
  grantedAt: Date;
}
