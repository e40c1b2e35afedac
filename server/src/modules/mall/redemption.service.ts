import { In, type DataSource, type EntityManager } from 'typeorm';
import { startOfBusinessDate } from '../../platform/clock/business-date';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { lockForUpdate, withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { AppError, conflict, notFound, validationFailed } from '../../platform/http/errors';
import { defaultNickname } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import { hasRole } from '../identity/roles';
import { MemberPoints } from '../points/points.entity';
import { appendLedgerLine, balanceOf, insufficientPoints } from '../points/points.service';
import { uploadUrlFor } from '../upload/upload-keys';
import type { FulfilBody, RedeemBody, RedemptionDto } from './mall.dto';
import { MallMemberQuota, MallProduct, MallRedemption } from './mall.entities';
import { needsAddress, pointsTotal, sourcesOf, targetOf, type RedemptionState } from './mall-rules';

export const outOfStock = (stock: number, requested: number) =>
  conflict('OUT_OF_STOCK', stock === 0 ? 'This product is sold out.' : `Only ${stock} left; you asked for ${requested}.`, { stock, requested });

export const limitExceeded = (limit: number, redeemed: number) =>
  conflict('LIMIT_EXCEEDED', `Each member may redeem at most ${limit} of this product; you already have ${redeemed}.`, { limit, redeemed });

export const productInactive = () => conflict('PRODUCT_INACTIVE', 'This product is no longer offered.');

export const productChanged = () => conflict('PRODUCT_CHANGED', 'The product\'s price changed while you were redeeming it; look at it again.');

export const redemptionNotPending = (state: RedemptionState) =>
  conflict('REDEMPTION_NOT_PENDING', `This redemption is already ${state}.`, { state });

const addressRequired = () =>
  validationFailed('This product is shipped: send a delivery address (from wx.chooseAddress).', [
    { path: 'body.address', message: 'is required for physical goods' },
  ]);

export const requestIdReused = () =>
  conflict('REQUEST_ID_REUSED', 'This requestId was already used for a different redemption; use a new one.');

export interface PageQuery {
  limit: number;
  before?: number;
  state?: RedemptionState;
}

export interface RedemptionFilter extends PageQuery {
  productId?: number;
  memberId?: number;
  /** Members enrolled in this cohort. */
  cohortId?: number;
  /** Business dates (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
}

const ledgerKey = (redemptionId: number) => `redemption:${redemptionId}`;
const refundKey = (redemptionId: number) => `redemption:${redemptionId}:refund`;

export class RedemptionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /**
   * Spends points on a product. Everything is ONE transaction: the stock moves by a conditional
   * decrement (`stock >= q AND active`), the per-member limit by a conditional update of the
   * member's counter row (`redeemed + q <= limit`), the points by a ledger line (the balance never
   * goes negative), and the order row is written. The unique key (member, requestId) makes a
   * retry, even one racing the first request, answer with the first redemption.
   */
  async redeem(memberId: number, body: RedeemBody) {
    let outcome: { id: number; balance: number; replayed: boolean };
    try {
      outcome = await withTransaction(this.dataSource, async (manager) => {
        // The member's balance row first, then the product: one lock order for every mall
        // transaction. Locking before the first plain read also means (on MySQL/MariaDB) that the
        // snapshot this transaction reads is taken after a twin request holding the lock committed.
        if (!(await this.lockPoints(manager, memberId))) return this.refuseWithoutPoints(manager, body);
        const first = await this.findByRequest(manager, memberId, body.requestId);
        if (first) return this.replay(manager, first, body);
        return { ...(await this.buy(manager, memberId, body)), replayed: false };
      });
    } catch (error) {
      // A racing twin of this request may have won while this one waited: answer with its result.
      if (!isUniqueViolation(error) && !(error instanceof AppError && error.status === 409)) throw error;
      const replayed = await withTransaction(this.dataSource, async (manager) => {
        const first = await this.findByRequest(manager, memberId, body.requestId);
        return first ? this.replay(manager, first, body) : null;
      });
      if (!replayed) throw error;
      outcome = replayed;
    }
    const [redemption] = await this.toDtos([await this.dataSource.manager.findOneByOrFail(MallRedemption, { id: outcome.id })]);
    return { redemption, balance: outcome.balance, replayed: outcome.replayed };
  }

  /**
   * Cancels a pending redemption (a member their own, an operator any) and gives back the points,
   * the stock and the member's quota. The conditional update pending -> cancelled decides who
   * refunds, so a second or concurrent cancel refunds nothing and answers with the cancelled order.
   */
  async cancel(principal: Principal, redemptionId: number, reason?: string) {
    const row = await this.visibleTo(principal, redemptionId);
    const balance = await withTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      await this.lockPoints(manager, row.memberId);
      const moved = await manager
        .createQueryBuilder()
        .update(MallRedemption)
        .set({ state: targetOf('cancel'), cancelledAt: now, cancelledBy: principal.memberId, cancelReason: reason ?? null })
        .where('id = :id AND state IN (:...from)', { id: redemptionId, from: sourcesOf('cancel') })
        .execute();
      if (moved.affected !== 1) {
        const current = await manager.findOneOrFail(MallRedemption, { where: { id: redemptionId }, lock: lockForUpdate(manager) });
        if (current.state === targetOf('cancel')) return balanceOf(manager, row.memberId);
        throw redemptionNotPending(current.state);
      }
      const quantity = Math.trunc(row.quantity);
      await manager
        .createQueryBuilder()
        .update(MallProduct)
        .set({ stock: () => `stock + ${quantity}` })
        .where('id = :id', { id: row.productId })
        .execute();
      await manager
        .createQueryBuilder()
        .update(MallMemberQuota)
        .set({ redeemed: () => `redeemed - ${quantity}` })
        .where('member_id = :memberId AND product_id = :productId AND redeemed >= :quantity', {
          memberId: row.memberId, productId: row.productId, quantity,
        })
        .execute();
      return appendLedgerLine(
        manager,
        {
          memberId: row.memberId, delta: row.pointsTotal, reason: 'redemption_refund', refType: 'redemption', refId: row.id,
          idempotencyKey: refundKey(row.id), actorId: principal.memberId, note: reason ?? null,
        },
        now,
      );
    });
    return { redemption: await this.get(principal, redemptionId), balance };
  }

  /** An operator ships a physical order (carrier, tracking number) or hands out a virtual code. */
  async fulfil(operatorId: number, redemptionId: number, body: FulfilBody): Promise<RedemptionDto> {
    const row = await this.dataSource.manager.findOneBy(MallRedemption, { id: redemptionId });
    if (!row) throw notFound('Redemption');
    const fulfilment = fulfilmentFor(row, body);
    await withTransaction(this.dataSource, async (manager) => {
      const moved = await manager
        .createQueryBuilder()
        .update(MallRedemption)
        .set({ state: targetOf('fulfil'), ...fulfilment, fulfilledAt: this.clock.now(), fulfilledBy: operatorId })
        .where('id = :id AND state IN (:...from)', { id: redemptionId, from: sourcesOf('fulfil') })
        .execute();
      if (moved.affected !== 1) {
        const current = await manager.findOneOrFail(MallRedemption, { where: { id: redemptionId }, lock: lockForUpdate(manager) });
        throw redemptionNotPending(current.state);
      }
    });
    const [dto] = await this.toDtos([await this.dataSource.manager.findOneByOrFail(MallRedemption, { id: redemptionId })]);
    return dto;
  }

  async get(principal: Principal, redemptionId: number): Promise<RedemptionDto> {
    const [dto] = await this.toDtos([await this.visibleTo(principal, redemptionId)]);
    return dto;
  }

  /** The caller's own redemptions, newest first. */
  async listMine(memberId: number, query: PageQuery) {
    return this.page({ ...query, memberId });
  }

  /** Operators' order list, newest first, filtered by state, product and member. */
  async list(query: RedemptionFilter) {
    return this.page(query);
  }

  private async buy(manager: EntityManager, memberId: number, body: RedeemBody): Promise<{ id: number; balance: number }> {
    const now = this.clock.now();
    const quantity = Math.trunc(body.quantity);
    // The product as last committed (READ COMMITTED): a sold-out or withdrawn product is answered
    // here, without waiting on the product row's lock behind every buyer of the rush.
    const product = await manager.findOneBy(MallProduct, { id: body.productId });
    if (!product) throw notFound('Product');
    if (!product.active) throw productInactive();
    if (product.stock < quantity) throw outOfStock(product.stock, quantity);
    if (needsAddress(product.kind) && !body.address) throw addressRequired();
    await this.takeStock(manager, product, quantity);

    const total = pointsTotal(product.pointsPrice, quantity);
    const inserted = await manager.insert(MallRedemption, {
      memberId,
      productId: product.id,
      requestId: body.requestId,
      productName: product.name,
      kind: product.kind,
      quantity,
      unitPrice: product.pointsPrice,
      pointsTotal: total,
      state: 'pending',
      address: needsAddress(product.kind) ? body.address! : null,
      createdAt: now,
    });
    const id = Number(inserted.identifiers[0].id);

    await manager.createQueryBuilder().insert().into(MallMemberQuota)
      .values({ memberId, productId: product.id, redeemed: 0 }).orIgnore().execute();
    const counted = manager
      .createQueryBuilder()
      .update(MallMemberQuota)
      .set({ redeemed: () => `redeemed + ${quantity}` })
      .where('member_id = :memberId AND product_id = :productId', { memberId, productId: product.id });
    if (product.perMemberLimit !== null) counted.andWhere('redeemed + :quantity <= :limit', { quantity, limit: product.perMemberLimit });
    if ((await counted.execute()).affected !== 1) {
      const quota = await manager.findOneOrFail(MallMemberQuota, { where: { memberId, productId: product.id }, lock: lockForUpdate(manager) });
      throw limitExceeded(product.perMemberLimit!, quota.redeemed);
    }

    const balance = await appendLedgerLine(
      manager,
      { memberId, delta: -total, reason: 'redemption', refType: 'redemption', refId: id, idempotencyKey: ledgerKey(id) },
      now,
    );
    return { id, balance };
  }

  /**
   * The stock moves first (before the order's rows, whose foreign keys share-lock the product row:
   * taking the row's write lock after that would deadlock twin buyers), by a conditional decrement
   * that also checks the product is still offered at the price read. Failing, it names why.
   */
  private async takeStock(manager: EntityManager, product: MallProduct, quantity: number): Promise<void> {
    const taken = await manager
      .createQueryBuilder()
      .update(MallProduct)
      .set({ stock: () => `stock - ${quantity}` })
      .where('id = :id AND stock >= :quantity AND active = TRUE AND points_price = :price', { id: product.id, quantity, price: product.pointsPrice })
      .execute();
    if (taken.affected === 1) return;
    // Locking (current) reads from here on: a plain read would show this transaction's snapshot.
    const current = await manager.findOne(MallProduct, { where: { id: product.id }, lock: lockForUpdate(manager) });
    if (!current) throw notFound('Product');
    if (!current.active) throw productInactive();
    if (current.stock < quantity) throw outOfStock(current.stock, quantity);
    throw productChanged();
  }

  private async replay(manager: EntityManager, first: MallRedemption, body: RedeemBody) {
    if (first.productId !== body.productId || first.quantity !== body.quantity) throw requestIdReused();
    return { id: first.id, balance: await balanceOf(manager, first.memberId), replayed: true };
  }

  private findByRequest(manager: EntityManager, memberId: number, requestId: string) {
    return manager.findOneBy(MallRedemption, { memberId, requestId });
  }

  /**
   * Locks the member's balance row (MySQL) so a member's mall transactions take turns without
   * deadlocks. False when the member has no balance row yet (never had a point).
   */
  private async lockPoints(manager: EntityManager, memberId: number): Promise<boolean> {
    return (await manager.findOne(MemberPoints, { where: { memberId }, lock: lockForUpdate(manager) })) !== null;
  }

  /**
   * A member who never had a point cannot have redeemed anything and cannot pay now. Answer at
   * once, with the error the full attempt would give, and write nothing: the lock on a missing row
   * is a gap lock, and inserting the row under it would deadlock with a concurrent twin.
   */
  private async refuseWithoutPoints(manager: EntityManager, body: RedeemBody): Promise<never> {
    const product = await manager.findOneBy(MallProduct, { id: body.productId });
    if (!product) throw notFound('Product');
    if (!product.active) throw productInactive();
    if (product.stock < body.quantity) throw outOfStock(product.stock, body.quantity);
    if (needsAddress(product.kind) && !body.address) throw addressRequired();
    throw insufficientPoints(0, pointsTotal(product.pointsPrice, body.quantity));
  }

  /** A member sees only their own redemptions (others' are NOT_FOUND); operators see all. */
  private async visibleTo(principal: Principal, redemptionId: number): Promise<MallRedemption> {
    const row = await this.dataSource.manager.findOneBy(MallRedemption, { id: redemptionId });
    if (!row || (row.memberId !== principal.memberId && !hasRole(principal.roles, 'operator'))) throw notFound('Redemption');
    return row;
  }

  private async page(query: RedemptionFilter) {
    const builder = this.dataSource.manager
      .createQueryBuilder(MallRedemption, 'r')
      .orderBy('r.id', 'DESC')
      .take(query.limit + 1);
    if (query.memberId) builder.andWhere('r.member_id = :memberId', { memberId: query.memberId });
    if (query.productId) builder.andWhere('r.product_id = :productId', { productId: query.productId });
    if (query.state) builder.andWhere('r.state = :state', { state: query.state });
    if (query.before) builder.andWhere('r.id < :before', { before: query.before });
    if (query.cohortId) {
      builder.andWhere('r.member_id IN (SELECT e.member_id FROM enrollment e WHERE e.cohort_id = :cohortId)', { cohortId: query.cohortId });
    }
    if (query.from) builder.andWhere('r.created_at >= :from', { from: startOfBusinessDate(query.from, this.timeZone) });
    if (query.to) builder.andWhere('r.created_at < :to', { to: startOfBusinessDate(nextDate(query.to), this.timeZone) });
    const rows = await builder.getMany();
    const items = await this.toDtos(rows.slice(0, query.limit));
    return { items, nextCursor: rows.length > query.limit ? String(items[items.length - 1].id) : null };
  }

  private async toDtos(rows: MallRedemption[]): Promise<RedemptionDto[]> {
    if (rows.length === 0) return [];
    const manager = this.dataSource.manager;
    const members = await manager.find(Member, {
      select: { id: true, nickname: true },
      where: { id: In([...new Set(rows.map((r) => r.memberId))]) },
    });
    const products = await manager.find(MallProduct, {
      select: { id: true, imageKeys: true },
      where: { id: In([...new Set(rows.map((r) => r.productId))]) },
    });
    return rows.map((row) => {
      const member = members.find((m) => m.id === row.memberId);
      const firstImage = products.find((p) => p.id === row.productId)?.imageKeys[0];
      return {
        id: row.id,
        requestId: row.requestId,
        member: { id: row.memberId, nickname: member?.nickname ?? defaultNickname(row.memberId) },
        productId: row.productId,
        productName: row.productName,
        imageUrl: firstImage ? uploadUrlFor(firstImage) : null,
        kind: row.kind,
        quantity: row.quantity,
        unitPrice: row.unitPrice,
        pointsTotal: row.pointsTotal,
        state: row.state,
        address: row.address,
        carrier: row.carrier,
        trackingNumber: row.trackingNumber,
        virtualCode: row.virtualCode,
        fulfilledAt: row.fulfilledAt?.toISOString() ?? null,
        cancelledAt: row.cancelledAt?.toISOString() ?? null,
        cancelledBy: row.cancelledBy === null ? null : row.cancelledBy === row.memberId ? 'member' : 'operator',
        cancelReason: row.cancelReason,
        createdAt: row.createdAt.toISOString(),
      };
    });
  }
}

/** The fulfilment fields a redemption of this kind needs: carrier and tracking number, or a code. */
function fulfilmentFor(row: MallRedemption, body: FulfilBody) {
  const problems: Array<{ path: string; message: string }> = [];
  if (row.kind === 'physical') {
    if (!body.carrier) problems.push({ path: 'body.carrier', message: 'is required to ship physical goods' });
    if (!body.trackingNumber) problems.push({ path: 'body.trackingNumber', message: 'is required to ship physical goods' });
    if (body.code !== undefined) problems.push({ path: 'body.code', message: 'is for virtual goods only' });
  } else {
    if (!body.code) problems.push({ path: 'body.code', message: 'is required to fulfil virtual goods' });
    if (body.carrier !== undefined) problems.push({ path: 'body.carrier', message: 'is for physical goods only' });
    if (body.trackingNumber !== undefined) problems.push({ path: 'body.trackingNumber', message: 'is for physical goods only' });
  }
  if (problems.length > 0) {
    throw validationFailed(`Invalid fulfilment of ${row.kind} goods: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
  }
  return row.kind === 'physical'
    ? { carrier: body.carrier!, trackingNumber: body.trackingNumber!, virtualCode: null }
    : { carrier: null, trackingNumber: null, virtualCode: body.code! };
}

/** The calendar date after `date` (YYYY-MM-DD). */
function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
