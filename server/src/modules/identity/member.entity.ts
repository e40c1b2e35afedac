import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'member' })
export class Member {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  openid: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  nickname: string | null;

  @Column({ name: 'avatar_url', type: 'varchar', length: 512, nullable: true })
  avatarUrl: string | null;

  /** WeChat's latest session_key for this member. Server-side only: it decrypts group proofs. */
  @Column({ name: 'session_key', type: 'varchar', length: 64, nullable: true })
  sessionKey: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_login_at', type: 'datetime', precision: 3 })
  lastLoginAt: Date;

  /**
   * When the member deleted their account (注销): the row stays, anonymized, because ledger lines,
   * orders and redemptions are kept as accounting records tied to it; the openid no longer matches.
   */
  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true })
  deletedAt: Date | null;
}
