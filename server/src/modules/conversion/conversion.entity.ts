import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Cohort } from '../cohort/cohort.entity';
import { Member } from '../identity/member.entity';

export type OfferAudience = 'all' | 'finishers';

/** A paid offer of one conversion round (1-3) of a cohort. */
@Entity({ name: 'offer' })
@Index(['cohortId', 'round'], { unique: true })
export class Offer {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Column({ type: 'integer' })
  round: number;

  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'price_fen', type: 'integer' })
  priceFen: number;

  @Column({ name: 'original_price_fen', type: 'integer', nullable: true })
  originalPriceFen: number | null;

  @Column({ name: 'opens_at', type: 'datetime', precision: 3 })
  opensAt: Date;

  @Column({ name: 'closes_at', type: 'datetime', precision: 3 })
  closesAt: Date;

  @Column({ type: 'varchar', length: 16 })
  audience: OfferAudience;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

@Entity({ name: 'offer_view' })
export class OfferView {
  @PrimaryColumn({ name: 'offer_id', type: 'integer' })
  @ForeignKey(() => Offer, { onDelete: 'CASCADE' })
  offerId: number;

  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @Index()
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ name: 'viewed_at', type: 'datetime', precision: 3 })
  viewedAt: Date;
}

export type OrderState = 'created' | 'paid' | 'closed' | 'expired';

@Entity({ name: 'offer_order' })
@Index(['offerId', 'memberId'])
@Index(['cohortId', 'state'])
export class OfferOrder {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'offer_id', type: 'integer' })
  @ForeignKey(() => Offer, { onDelete: 'CASCADE' })
  offerId: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  cohortId: number;

  @Column({ type: 'integer' })
  round: number;

  @Index()
  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  /** Our order number at WeChat Pay; the notification names it. */
  @Index({ unique: true })
  @Column({ name: 'out_trade_no', type: 'varchar', length: 32 })
  outTradeNo: string;

  @Column({ name: 'amount_fen', type: 'integer' })
  amountFen: number;

  @Column({ type: 'varchar', length: 16 })
  state: OrderState;

  @Column({ name: 'prepay_params', type: 'simple-json', nullable: true })
  prepayParams: Record<string, string> | null;

  @Column({ name: 'transaction_id', type: 'varchar', length: 64, nullable: true })
  transactionId: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'paid_at', type: 'datetime', precision: 3, nullable: true })
  paidAt: Date | null;
}

/** Who completed and who converted, recorded when the cohort is disbanded. */
@Entity({ name: 'cohort_outcome' })
export class CohortOutcome {
  @PrimaryColumn({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ type: 'boolean' })
  completed: boolean;

  @Column({ type: 'boolean' })
  converted: boolean;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt: Date;
}
