import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A login session. Only the SHA-256 of the bearer token is stored. */
@Entity({ name: 'auth_token' })
export class AuthToken {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  @Index()
  @Column({ name: 'member_id', type: 'integer' })
  memberId: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
