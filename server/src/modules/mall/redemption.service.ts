import { In, type DataSource, type EntityManager } from 'typeorm';
import { addDays, startOfBusinessDate } from '../../platform/clock/business-date';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { lockForUpdate, withTransaction } from '../../platform/db/transaction';
import { columnsOf, dbDateTime, hydrated, select, write } from '../../platform/db/sql';
import type { Principal } from '../../platform/http/api-router';
import { AppError, conflict, notFound, validationFailed } from '../../platform/http/errors';
import { defaultNickname } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import { hasRole } from '../identity/roles';
import { appendLedgerLine, balanceOf, insufficientPoints, recordLedgerLines } from '../points/points.service';
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

export interface RedeemResult {
  redemption: RedemptionDto;
  balance: number;
  replayed: boolean;
}

export class RedemptionService {
  /** The redemption requests running in this process, by member, requestId, product and quantity. */
  private readonly inFlight = new Map<string, Promise<RedeemResult>>();
  private lookSql?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /**
   * Spends points on a product. One read of committed rows, outside any transaction and without a
   * lock, answers a retry (same requestId) from the redemption it made, and refuses what cannot be
   * bought (sold out, withdrawn, no address, over the limit, too few points). Otherwise ONE
   * transaction (see buy): the order row, whose unique key (member, requestId) lets one request of
   * twins buy and makes the other answer with its redemption; the member's count against the limit
   * (`redeemed + q <= limit`); the ledger line and the balance (never below zero); and last the
   * stock, by a conditional decrement (`stock >= q`, still offered at the price read).
   */
  redeem(memberId: number, body: RedeemBody): Promise<RedeemResult> {
    // The same request again while the first is still running in this process (a double tap, an
    // impatient retry) gets the first one's answer instead of racing it to the unique key: its
    // redemption, as a replay, or the same refusal. Between processes the unique key decides.
    const key = `${memberId}:${body.requestId}:${body.productId}:${body.quantity}`;
    const running = this.inFlight.get(key);
    if (running) {
      return running.then(
        (first) => ({ ...first, replayed: true }),
        (error: unknown) => {
          // A refusal stands for both (it depends on the product, the quantity and the member only).
          if (error instanceof AppError && error.status === 409) throw error;
          return this.redeemOnce(memberId, body);
        },
      );
    }
    const mine = this.redeemOnce(memberId, body);
    this.inFlight.set(key, mine);
    const settled = () => {
      if (this.inFlight.get(key) === mine) this.inFlight.delete(key);
    };
    mine.then(settled, settled);
    return mine;
  }

  private async redeemOnce(memberId: number, body: RedeemBody, attempt = 1): Promise<RedeemResult> {
    const seen = await this.look(memberId, body);
    if (seen.first) return this.replay(seen, seen.first, body);
    refuseUnlessBuyable(seen, body);
    const product = seen.product!;
    try {
      const { row, balance } = await withTransaction(this.dataSource, (manager) => this.buy(manager, memberId, body, seen));
      return { redemption: toDto(row, seen.nickname, product.imageKeys), balance, replayed: false };
    } catch (error) {
      // A racing twin of this request (running elsewhere) may have won: answer with its result.
      const nothingTaken = error instanceof NothingTaken;
      if (!nothingTaken && !isUniqueViolation(error) && !(error instanceof AppError && error.status === 409)) throw error;
      const again = await this.look(memberId, body);
      if (again.first) return this.replay(again, again.first, body);
      if (!nothingTaken) throw error;
      const why = whyNotTaken(again.product, product, body.quantity);
      // Units given back (a cancellation) since the decrement found none: try once more.
      if (!why && attempt === 1) return this.redeemOnce(memberId, body, attempt + 1);
      throw why ?? outOfStock(again.product!.stock, body.quantity);
    }
  }

  /**
   * Cancels a pending redemption (a member their own, an operator any) and gives back the points,
   * the stock and the member's quota. The conditional update pending -> cancelled decides who
   * refunds, so a second or concurrent cancel refunds nothing and answers with the cancelled order.
   */
  async cancel(principal: Principal, redemptionId: number, reason?: string) {
    const row = await this.visibleTo(principal, redemptionId);
    const balance = await withTransaction(this.dataSource, async (manager) => {
      // The rows in a purchase's order (the product's last), so the two never wait on each other in a cycle.
      const now = this.clock.now();
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
        .update(MallMemberQuota)
        .set({ redeemed: () => `redeemed - ${quantity}` })
        .where('member_id = :memberId AND product_id = :productId AND redeemed >= :quantity', {
          memberId: row.memberId, productId: row.productId, quantity,
        })
        .execute();
      const refunded = await appendLedgerLine(
        manager,
        {
          memberId: row.memberId, delta: row.pointsTotal, reason: 'redemption_refund', refType: 'redemption', refId: row.id,
          idempotencyKey: refundKey(row.id), actorId: principal.memberId, note: reason ?? null,
        },
        now,
      );
      await write(manager, 'UPDATE mall_product SET stock = stock + ? WHERE id = ?', [quantity, row.productId]);
      return refunded;
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

  /**
   * One transaction, the product row's lock last so that a rush queues on it for one statement and
   * the commit only. The order row first: its unique key (member, requestId) makes a twin running
   * elsewhere wait for this one and fail, and it is written only while the product (as last
   * committed) has the stock, is offered and costs the price read, so a buyer who lost the race
   * stops here. Then the member's count against the limit, the ledger line with the balance, and the
   * stock by a conditional decrement, which decides (NothingTaken rolls everything back).
   */
  private async buy(manager: EntityManager, memberId: number, body: RedeemBody, seen: Look): Promise<{ row: MallRedemption; balance: number }> {
    const now = this.clock.now();
    const quantity = Math.trunc(body.quantity);
    const product = seen.product!;
    const total = pointsTotal(product.pointsPrice, quantity);
    const address = needsAddress(product.kind) ? body.address! : null;
    const offered = 'id = ? AND stock >= ? AND active = TRUE AND points_price = ?';
    const inserted = await write(
      manager,
      `INSERT INTO mall_redemption (member_id, product_id, request_id, product_name, kind, quantity, unit_price, points_total, state, address, created_at)
       SELECT ?, id, ?, ?, ?, ?, ?, ?, 'pending', ?, ? FROM mall_product WHERE ${offered}`,
      [
        memberId, body.requestId, product.name, product.kind, quantity, product.pointsPrice, total, address ? JSON.stringify(address) : null,
        dbDateTime(manager, now), product.id, quantity, product.pointsPrice,
      ],
    );
    if (inserted.affected !== 1) throw new NothingTaken();
    const row: MallRedemption = {
      id: inserted.insertId, memberId, productId: product.id, requestId: body.requestId, productName: product.name, kind: product.kind,
      quantity, unitPrice: product.pointsPrice, pointsTotal: total, state: 'pending', address, carrier: null, trackingNumber: null,
      virtualCode: null, fulfilledAt: null, fulfilledBy: null, cancelledAt: null, cancelledBy: null, cancelReason: null, createdAt: now,
    };

    await this.countAgainstLimit(manager, memberId, product, quantity, seen.redeemed !== null);
    const balance = await recordLedgerLines(
      manager,
      [{ memberId, delta: -total, reason: 'redemption', refType: 'redemption', refId: row.id, idempotencyKey: ledgerKey(row.id) }],
      now,
      seen.balance,
    );
    const taken = await write(manager, `UPDATE mall_product SET stock = stock - ? WHERE ${offered}`, [quantity, product.id, quantity, product.pointsPrice]);
    if (taken.affected !== 1) throw new NothingTaken();
    return { row, balance };
  }

  /**
   * Counts the quantity against the member's limit on their counter row: a new row when the read
   * saw none (another request of the member may have made it meanwhile: then as below), else a
   * conditional increment (`redeemed + q <= limit`).
   */
  private async countAgainstLimit(manager: EntityManager, memberId: number, product: Look['product'] & object, quantity: number, rowSeen: boolean): Promise<void> {
    if (!rowSeen) {
      try {
        await write(manager, 'INSERT INTO mall_member_quota (member_id, product_id, redeemed) VALUES (?, ?, ?)', [memberId, product.id, quantity]);
        return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    const limit = product.perMemberLimit;
    const counted = await write(
      manager,
      `UPDATE mall_member_quota SET redeemed = redeemed + ? WHERE member_id = ? AND product_id = ?${limit === null ? '' : ' AND redeemed + ? <= ?'}`,
      limit === null ? [quantity, memberId, product.id] : [quantity, memberId, product.id, quantity, limit],
    );
    if (counted.affected !== 1) {
      const quota = await manager.findOneByOrFail(MallMemberQuota, { memberId, productId: product.id });
      throw limitExceeded(limit!, quota.redeemed);
    }
  }

  /** The answer to a retry: the first redemption of this requestId, if the retry asks for the same. */
  private async replay(seen: Look, first: Look['first'] & object, body: RedeemBody): Promise<RedeemResult> {
    if (first.productId !== body.productId || first.quantity !== body.quantity) throw requestIdReused();
    const row = await this.dataSource.manager.findOneByOrFail(MallRedemption, { id: first.id });
    return { redemption: toDto(row, seen.nickname, seen.product?.imageKeys ?? []), balance: seen.balance ?? 0, replayed: true };
  }

  /**
   * Everything a redemption request is decided on, in one statement of committed rows: the member's
   * nickname and balance, the product, the member's counter for it, and the redemption this
   * requestId already made, if any.
   */
  private async look(memberId: number, body: RedeemBody): Promise<Look> {
    const manager = this.dataSource.manager;
    this.lookSql ??= `SELECT m.nickname AS nickname, b.balance AS balance, q.redeemed AS redeemed, ${columnsOf(manager, MallProduct, 'p', 'p_', LOOKED_AT)},
        r.id AS first_id, r.product_id AS first_product_id, r.quantity AS first_quantity
      FROM member m
      LEFT JOIN member_points b ON b.member_id = m.id
      LEFT JOIN mall_product p ON p.id = ?
      LEFT JOIN mall_member_quota q ON q.member_id = m.id AND q.product_id = p.id
      LEFT JOIN mall_redemption r ON r.member_id = m.id AND r.request_id = ?
      WHERE m.id = ?`;
    const [raw] = await select<Record<string, unknown>>(manager, this.lookSql, [body.productId, body.requestId, memberId]);
    if (!raw) throw notFound('Member');
    const number = (value: unknown) => (value === null ? null : Number(value));
    return {
      nickname: (raw.nickname as string | null) ?? defaultNickname(memberId),
      balance: number(raw.balance),
      redeemed: number(raw.redeemed),
      product: hydrated(manager, MallProduct, raw, 'p_'),
      first: raw.first_id === null ? null : { id: Number(raw.first_id), productId: Number(raw.first_product_id), quantity: Number(raw.first_quantity) },
    };
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
    if (query.to) builder.andWhere('r.created_at < :to', { to: startOfBusinessDate(addDays(query.to, 1), this.timeZone) });
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
      const product = products.find((p) => p.id === row.productId);
      return toDto(row, member?.nickname ?? defaultNickname(row.memberId), product?.imageKeys ?? []);
    });
  }
}

/** The product's columns a redemption is decided on. */
const LOOKED_AT = ['id', 'name', 'kind', 'pointsPrice', 'stock', 'active', 'perMemberLimit', 'imageKeys'] as const;

interface Look {
  nickname: string;
  /** The member's balance; null when they never had a point (no balance row). */
  balance: number | null;
  /** How many of the product the member holds; null when their counter row does not exist yet. */
  redeemed: number | null;
  product: Pick<MallProduct, (typeof LOOKED_AT)[number]> | null;
  /** The redemption this requestId already made. */
  first: { id: number; productId: number; quantity: number } | null;
}

/**
 * What makes a request refused before anything is written, in this order: no such product,
 * withdrawn, sold out, no delivery address, over the member's limit, too few points.
 */
function refuseUnlessBuyable(seen: Look, body: RedeemBody): void {
  const { product } = seen;
  if (!product) throw notFound('Product');
  if (!product.active) throw productInactive();
  if (product.stock < body.quantity) throw outOfStock(product.stock, body.quantity);
  if (needsAddress(product.kind) && !body.address) throw addressRequired();
  const redeemed = seen.redeemed ?? 0;
  if (product.perMemberLimit !== null && redeemed + body.quantity > product.perMemberLimit) throw limitExceeded(product.perMemberLimit, redeemed);
  const total = pointsTotal(product.pointsPrice, body.quantity);
  if ((seen.balance ?? 0) < total) throw insufficientPoints(seen.balance ?? 0, total);
}

/** The product no longer had the stock (or was withdrawn, or repriced) when the purchase came to it. */
class NothingTaken extends Error {}

/** Why the purchase found nothing to take, from the product as read after it (null: it could be bought now). */
function whyNotTaken(current: Look['product'], read: Look['product'] & object, quantity: number): AppError | null {
  if (!current) return notFound('Product');
  if (!current.active) return productInactive();
  if (current.stock < quantity) return outOfStock(current.stock, quantity);
  if (current.pointsPrice !== read.pointsPrice) return productChanged();
  return null;
}

function toDto(row: MallRedemption, nickname: string, imageKeys: string[]): RedemptionDto {
  return {
    id: row.id,
    requestId: row.requestId,
    member: { id: row.memberId, nickname },
    productId: row.productId,
    productName: row.productName,
    imageUrl: imageKeys[0] ? uploadUrlFor(imageKeys[0]) : null,
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
