import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Member } from '../identity/member.entity';

/**
 * How many one-time subscription messages of a template a member has allowed and we have not
 * used: each "accept" from wx.requestSubscribeMessage adds one, each send takes one.
 */
@Entity({ name: 'subscription_consent' })
export class SubscriptionConsent {
  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @PrimaryColumn({ name: 'template_key', type: 'varchar', length: 32 })
  templateKey: string;

  @Column({ name: 'sends_left', type: 'integer' })
  sendsLeft: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

export type NotificationStatus = 'claimed' | 'sent' | 'no-consent' | 'failed' | 'unread' | 'read';

/**
 * Every message sent (or attempted) to a member, and in-app notices. The dedupe key makes each
 * notice happen once, whichever server instance or retry gets there first.
 */
@Entity({ name: 'notification' })
@Index(['memberId', 'id'])
export class Notification {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  /** `subscribe` (a WeChat subscription message) or `inbox` (shown in the Mini Program). */
  @Column({ type: 'varchar', length: 16 })
  channel: 'subscribe' | 'inbox';

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Index({ unique: true })
  @Column({ name: 'dedupe_key', type: 'varchar', length: 160 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 16 })
  status: NotificationStatus;

  @Column({ type: 'simple-json' })
  payload: { page: string; data: Record<string, string> };

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
