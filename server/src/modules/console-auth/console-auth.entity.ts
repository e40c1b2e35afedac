import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Member } from '../identity/member.entity';

/**
 * A console QR login: the browser shows the ticket as a QR code, a teacher or operator approves it
 * from the Mini Program, and the browser collects a console token once. Only the SHA-256 of the
 * ticket is stored; the browser's address and user agent are shown on the phone before approval.
 */
@Entity({ name: 'console_login_ticket' })
export class ConsoleLoginTicket {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index({ unique: true })
  @Column({ name: 'ticket_hash', type: 'varchar', length: 64 })
  ticketHash: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Index()
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  /** The address the browser asked from (personal data: purged with the ticket a day after expiry). */
  @Column({ name: 'browser_ip', type: 'varchar', length: 64 })
  browserIp: string;

  @Column({ name: 'browser_agent', type: 'varchar', length: 256 })
  browserAgent: string;

  @Column({ name: 'approved_by', type: 'integer', nullable: true })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  approvedBy: number | null;

  @Column({ name: 'approved_at', type: 'datetime', precision: 3, nullable: true })
  approvedAt: Date | null;

  /** When the browser collected its token; set once, by a conditional update. */
  @Column({ name: 'collected_at', type: 'datetime', precision: 3, nullable: true })
  collectedAt: Date | null;
}

/** A console login session (12 hours). Only the SHA-256 of its bearer token is stored. */
@Entity({ name: 'console_session' })
export class ConsoleSession {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Index()
  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  /** `qr` (approved from the Mini Program) or `dev` (fake WeChat mode's login by openid). */
  @Column({ type: 'varchar', length: 8 })
  via: 'qr' | 'dev';

  @Column({ name: 'browser_ip', type: 'varchar', length: 64 })
  browserIp: string;

  @Column({ name: 'browser_agent', type: 'varchar', length: 256 })
  browserAgent: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
