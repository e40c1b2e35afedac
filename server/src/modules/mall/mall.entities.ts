import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Member } from '../identity/member.entity';
import type { ProductKind, RedemptionState } from './mall-rules';

/** A product of the points mall. `stock` only moves by conditional updates (never below zero). */
@Entity({ name: 'mall_product' })
export class MallProduct {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text' })
  description: string;

  /** Keys of images uploaded through POST /uploads/images. */
  @Column({ name: 'image_keys', type: 'simple-json' })
  imageKeys: string[];

  @Column({ name: 'points_price', type: 'integer' })
  pointsPrice: number;

  @Column({ type: 'integer' })
  stock: number;

  /** How many one member may redeem in total; null = unlimited. */
  @Column({ name: 'per_member_limit', type: 'integer', nullable: true })
  perMemberLimit: number | null;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'varchar', length: 16 })
  kind: ProductKind;

  /** Where the operator places it in the catalogue: smaller first (among products in stock). */
  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder: number;

  @Column({ name: 'created_by', type: 'integer' })
  @ForeignKey(() => Member)
  createdBy: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

/** Audit trail of operators' stock adjustments (who, when, how much, why). Append-only. */
@Entity({ name: 'mall_stock_adjustment' })
@Index(['productId', 'id'])
export class MallStockAdjustment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'product_id', type: 'integer' })
  @ForeignKey(() => MallProduct, { onDelete: 'CASCADE' })
  productId: number;

  @Column({ type: 'integer' })
  delta: number;

  @Column({ name: 'stock_after', type: 'integer' })
  stockAfter: number;

  @Column({ type: 'varchar', length: 200 })
  note: string;

  @Column({ name: 'actor_id', type: 'integer' })
  @ForeignKey(() => Member)
  actorId: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/**
 * How many of a product a member holds in pending or fulfilled redemptions. The per-member limit
 * is a conditional update on this row (`redeemed + q <= limit`); a cancellation gives it back.
 */
@Entity({ name: 'mall_member_quota' })
export class MallMemberQuota {
  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  /** No foreign key to the product (see the migration MallRowsWithoutProductKeys): products are never deleted. */
  @PrimaryColumn({ name: 'product_id', type: 'integer' })
  @Index()
  productId: number;

  @Column({ type: 'integer' })
  redeemed: number;
}

export interface DeliveryAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

/** One redemption (order). The unique (member, requestId) makes a retried request buy only once. */
@Entity({ name: 'mall_redemption' })
@Index(['memberId', 'requestId'], { unique: true })
@Index(['memberId', 'id'])
@Index(['productId', 'id'])
@Index(['state', 'id'])
@Index(['state', 'fulfilledAt'])
export class MallRedemption {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  /** No foreign key to the product (see the migration MallRowsWithoutProductKeys): products are never deleted. */
  @Column({ name: 'product_id', type: 'integer' })
  productId: number;

  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId: string;

  /** The product's name and kind when redeemed (the product may be edited later). */
  @Column({ name: 'product_name', type: 'varchar', length: 64 })
  productName: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ProductKind;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'unit_price', type: 'integer' })
  unitPrice: number;

  @Column({ name: 'points_total', type: 'integer' })
  pointsTotal: number;

  @Column({ type: 'varchar', length: 16 })
  state: RedemptionState;

  @Column({ type: 'simple-json', nullable: true })
  address: DeliveryAddress | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  carrier: string | null;

  @Column({ name: 'tracking_number', type: 'varchar', length: 64, nullable: true })
  trackingNumber: string | null;

  @Column({ name: 'virtual_code', type: 'varchar', length: 256, nullable: true })
  virtualCode: string | null;

  @Column({ name: 'fulfilled_at', type: 'datetime', precision: 3, nullable: true })
  fulfilledAt: Date | null;

  @Column({ name: 'fulfilled_by', type: 'integer', nullable: true })
  fulfilledBy: number | null;

  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancelled_by', type: 'integer', nullable: true })
  cancelledBy: number | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 200, nullable: true })
  cancelReason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** Entities of the points mall. */
export const mallEntities = [MallProduct, MallStockAdjustment, MallMemberQuota, MallRedemption];
