import { type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { dbDateTime, write } from '../../platform/db/sql';
import { AppError, conflict, notFound } from '../../platform/http/errors';
import { Member } from '../identity/member.entity';
import { MemberPoints, PointsLedgerLine } from './points.entity';

export interface LedgerEntry {
  memberId: number;
  delta: number;
  reason: string;
  refType?: string | null;
  refId?: number | null;
  idempotencyKey: string;
  note?: string | null;
  actorId?: number | null;
}

export const insufficientPoints = (balance: number, needed: number) =>
  new AppError(409, 'INSUFFICIENT_POINTS', `This needs ${needed} points and you have ${balance}.`, { balance, needed });

/**
 * Appends one ledger line and moves the balance by the same delta, inside the caller's transaction.
 * The balance moves by a conditional update that can never take it below zero; if it would, the
 * whole transaction fails with INSUFFICIENT_POINTS. A repeated idempotency key is a unique-key
 * violation, so a line can never be written twice.
 */
export async function appendLedgerLine(manager: EntityManager, entry: LedgerEntry, now: Date): Promise<number> {
  await recordLedgerLine(manager, entry, now);
  return balanceOf(manager, entry.memberId);
}

/** appendLedgerLine without reading the balance back (for use cases that write several lines). */
export async function recordLedgerLine(manager: EntityManager, entry: LedgerEntry, now: Date): Promise<void> {
  await manager.insert(PointsLedgerLine, {
    memberId: entry.memberId,
    delta: entry.delta,
    reason: entry.reason,
    refType: entry.refType ?? null,
    refId: entry.refId ?? null,
    idempotencyKey: entry.idempotencyKey,
    note: entry.note ?? null,
    actorId: entry.actorId ?? null,
    createdAt: now,
  });
  if (!(await moveBalance(manager, entry.memberId, entry.delta, now))) {
    throw insufficientPoints(await balanceOf(manager, entry.memberId), -entry.delta);
  }
}

/**
 * Appends several lines of one event (a check-in's fee and awards) in one multi-row insert and moves
 * the balance by their sum in one update, inside the caller's transaction; answers the new balance.
 * With `balanceSeen` (read before the transaction) the update applies only while the balance is
 * still exactly that, so the new balance is known without reading it back; if it changed
 * meanwhile, the balance moves by a plain conditional update and is read. Either way it never goes
 * below zero at any line (INSUFFICIENT_POINTS fails the whole transaction otherwise).
 */
export async function recordLedgerLines(manager: EntityManager, lines: LedgerEntry[], now: Date, balanceSeen: number | null): Promise<number> {
  if (lines.length === 0) throw new Error('recordLedgerLines needs at least one line');
  const memberId = lines[0].memberId;
  const at = dbDateTime(manager, now);
  await write(
    manager,
    `INSERT INTO points_ledger (member_id, delta, reason, ref_type, ref_id, idempotency_key, note, actor_id, created_at)
     VALUES ${lines.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    lines.flatMap((entry) => [
      entry.memberId, entry.delta, entry.reason, entry.refType ?? null, entry.refId ?? null, entry.idempotencyKey, entry.note ?? null, entry.actorId ?? null, at,
    ]),
  );
  let sum = 0;
  let lowest = 0;
  for (const entry of lines) {
    sum += entry.delta;
    lowest = Math.min(lowest, sum);
  }
  if (balanceSeen !== null && balanceSeen + lowest >= 0) {
    const moved = await write(manager, 'UPDATE member_points SET balance = ?, updated_at = ? WHERE member_id = ? AND balance = ?', [
      balanceSeen + sum, at, memberId, balanceSeen,
    ]);
    if (moved.affected === 1) return balanceSeen + sum;
  }
  if (!(await moveBalance(manager, memberId, sum, now, lowest))) throw insufficientPoints(await balanceOf(manager, memberId), -lowest);
  return balanceOf(manager, memberId);
}

/**
 * `balance = balance + delta` only where the result stays >= 0. The balance row is created at
 * login; should it be missing, it is created here (at 0) and the update tried once more.
 */
async function moveBalance(manager: EntityManager, memberId: number, delta: number, now: Date, lowest = delta): Promise<boolean> {
  const update = () =>
    manager
      .createQueryBuilder()
      .update(MemberPoints)
      .set({ balance: () => `balance + ${Math.trunc(delta)}`, updatedAt: now })
      .where('member_id = :memberId AND balance + :lowest >= 0', { memberId, lowest: Math.min(0, lowest) })
      .execute();
  if ((await update()).affected === 1) return true;
  if (await manager.existsBy(MemberPoints, { memberId })) return false;
  await ensureBalanceRow(manager, memberId, now);
  return (await update()).affected === 1;
}

/** Every member has a balance row (0) from their first login on. */
export async function ensureBalanceRow(manager: EntityManager, memberId: number, now: Date): Promise<void> {
  await manager.createQueryBuilder().insert().into(MemberPoints).values({ memberId, balance: 0, updatedAt: now }).orIgnore().execute();
}

export async function balanceOf(manager: EntityManager, memberId: number): Promise<number> {
  const row = await manager.findOneBy(MemberPoints, { memberId });
  return row?.balance ?? 0;
}

export interface LedgerEntryDto {
  id: number;
  delta: number;
  reason: string;
  refType: string | null;
  refId: number | null;
  note: string | null;
  createdAt: string;
}

const toEntryDto = (line: PointsLedgerLine): LedgerEntryDto => ({
  id: line.id,
  delta: line.delta,
  reason: line.reason,
  refType: line.refType,
  refId: line.refId,
  note: line.note,
  createdAt: line.createdAt.toISOString(),
});

export class PointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The balance and ledger lines, newest first, paged by a cursor (the last line id seen). */
  async myPoints(memberId: number, page: { limit: number; before?: number }) {
    const query = this.dataSource.manager
      .createQueryBuilder(PointsLedgerLine, 'l')
      .where('l.member_id = :memberId', { memberId })
      .orderBy('l.id', 'DESC')
      .take(page.limit + 1);
    if (page.before) query.andWhere('l.id < :before', { before: page.before });
    const lines = await query.getMany();
    const hasMore = lines.length > page.limit;
    const entries = lines.slice(0, page.limit).map(toEntryDto);
    return {
      balance: await balanceOf(this.dataSource.manager, memberId),
      entries,
      nextCursor: hasMore ? String(entries[entries.length - 1].id) : null,
    };
  }

  /**
   * An operator's adjustment, with the reason kept in the ledger. `requestId` makes a retried
   * request return the first result instead of adjusting twice.
   */
  async adjust(operatorId: number, memberId: number, input: { delta: number; note: string; requestId: string }) {
    const idempotencyKey = `adjust:${operatorId}:${input.requestId}`;
    try {
      const balance = await withTransaction(this.dataSource, async (manager) => {
        if (!(await manager.existsBy(Member, { id: memberId }))) throw notFound('Member');
        return appendLedgerLine(
          manager,
          { memberId, delta: input.delta, reason: 'adjustment', idempotencyKey, note: input.note, actorId: operatorId },
          this.clock.now(),
        );
      });
      return { balance, entry: toEntryDto(await this.lineByKey(idempotencyKey)) };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const first = await this.lineByKey(idempotencyKey);
      if (first.memberId !== memberId || first.delta !== input.delta) {
        throw conflict('REQUEST_ID_REUSED', 'This requestId was already used for a different adjustment; use a new one.');
      }
      return { balance: await balanceOf(this.dataSource.manager, memberId), entry: toEntryDto(first) };
    }
  }

  private lineByKey(idempotencyKey: string): Promise<PointsLedgerLine> {
    return this.dataSource.manager.findOneByOrFail(PointsLedgerLine, { idempotencyKey });
  }
}
