import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import { validationFailed } from '../../platform/http/errors';
import { recordAudit } from '../audit/audit';
import { defaultNickname } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import type { ShippingImportResult } from './mall.dto';
import { MallRedemption } from './mall.entities';
import { sourcesOf, targetOf } from './mall-rules';
import {
  readShippingSheet, SheetError, shippingListCsv, shippingListXlsx, SHEET_CARRIER, SHEET_ID, SHEET_TRACKING, type SheetRow, type ShippingListRow,
} from './shipping-sheet';

const TRACKING_NUMBER = /^[A-Za-z0-9-]{4,64}$/;
const SHIPPING_LIST_MAX = 5000;

/** A refused row: a stable code, and a message in Chinese for the operator who reads the report. */
type Refusal = { code: string; message: string };

/** Shipping physical orders by the sheet: the shipping list out, the filled-in sheet back in. */
export class ShippingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /**
   * Fulfils many physical orders from a sheet (redemption id, carrier, tracking number). Every row is
   * checked on its own: good rows are applied, bad ones refused with a reason, and a row whose order
   * is already shipped with this very carrier and number is `unchanged`, so importing the same sheet
   * again changes nothing. Each order moves by the same conditional update as a single fulfilment.
   */
  async importSheet(operatorId: number, bytes: Buffer): Promise<ShippingImportResult> {
    let rows: SheetRow[];
    try {
      rows = await readShippingSheet(bytes);
    } catch (error) {
      if (error instanceof SheetError) throw validationFailed(error.message, [{ path: 'body.file', message: error.message }]);
      throw error;
    }
    const result: ShippingImportResult = { rows: rows.length, applied: [], unchanged: [], refused: [] };
    const ids = rows.map((r) => r.id).filter((id) => /^\d{1,9}$/.test(id)).map(Number);
    const found = ids.length > 0 ? await this.dataSource.manager.findBy(MallRedemption, { id: In([...new Set(ids)]) }) : [];
    const byId = new Map(found.map((r) => [r.id, r]));
    const seen = new Set<number>();

    for (const row of rows) {
      const id = /^\d{1,9}$/.test(row.id) ? Number(row.id) : null;
      const refuse = (refusal: Refusal) => result.refused.push({ row: row.row, redemptionId: id, ...refusal });
      const problem = checkRow(row, id, seen);
      if (problem) {
        refuse(problem);
        continue;
      }
      seen.add(id!);
      const order = byId.get(id!);
      if (!order) {
        refuse({ code: 'NOT_FOUND', message: `没有兑换单 ${id}。` });
        continue;
      }
      if (order.kind !== 'physical') {
        refuse({ code: 'NOT_PHYSICAL', message: `兑换单 ${id} 是虚拟商品：请发放兑换码，不用发快递。` });
        continue;
      }
      const outcome = await this.shipOne(operatorId, order.id, row);
      if (outcome === 'applied') result.applied.push({ row: row.row, redemptionId: id, carrier: row.carrier, trackingNumber: row.trackingNumber });
      else if (outcome === 'unchanged') result.unchanged.push({ row: row.row, redemptionId: id });
      else refuse(outcome);
    }

    await withTransaction(this.dataSource, (manager) => recordAudit(manager, {
      actorId: operatorId, action: 'redemptions.import',
      details: { rows: result.rows, applied: result.applied.length, unchanged: result.unchanged.length, refused: result.refused.length },
    }, this.clock.now()));
    return result;
  }

  /** The pending physical orders, oldest first, with where to send them (staff only; audited). */
  async shippingList(operatorId: number, format: 'csv' | 'xlsx') {
    const orders = await this.dataSource.manager.find(MallRedemption, {
      where: { state: 'pending', kind: 'physical' },
      order: { id: 'ASC' },
      take: SHIPPING_LIST_MAX,
    });
    const members = orders.length === 0 ? [] : await this.dataSource.manager.find(Member, {
      select: { id: true, nickname: true }, where: { id: In([...new Set(orders.map((o) => o.memberId))]) },
    });
    const nicknames = new Map(members.map((m) => [m.id, m.nickname]));
    const rows: ShippingListRow[] = orders.filter((o) => o.address).map((o) => ({
      id: o.id,
      productName: o.productName,
      quantity: o.quantity,
      memberId: o.memberId,
      nickname: nicknames.get(o.memberId) ?? defaultNickname(o.memberId),
      address: o.address!,
      redeemedAt: localTime(o.createdAt, this.timeZone),
    }));
    const now = this.clock.now();
    await withTransaction(this.dataSource, (manager) =>
      recordAudit(manager, { actorId: operatorId, action: 'redemptions.shipping_list', details: { rows: rows.length, format } }, now),
    );
    const stamp = localTime(now, this.timeZone).replace(/[-: ]/g, '').slice(0, 12);
    return format === 'csv'
      ? { contentType: 'text/csv; charset=utf-8', filename: `shipping-${stamp}.csv`, stream: shippingListCsv(rows) }
      : { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `shipping-${stamp}.xlsx`, stream: await shippingListXlsx(rows) };
  }

  private async shipOne(operatorId: number, id: number, row: SheetRow): Promise<'applied' | 'unchanged' | Refusal> {
    // In a transaction of its own: on SQLite a write outside one could join (and share the fate of) another's.
    const moved = await withTransaction(this.dataSource, (manager) => manager
      .createQueryBuilder()
      .update(MallRedemption)
      .set({ state: targetOf('fulfil'), carrier: row.carrier, trackingNumber: row.trackingNumber, virtualCode: null, fulfilledAt: this.clock.now(), fulfilledBy: operatorId })
      .where('id = :id AND state IN (:...from)', { id, from: sourcesOf('fulfil') })
      .execute());
    if (moved.affected === 1) return 'applied';
    const current = await this.dataSource.manager.findOneByOrFail(MallRedemption, { id });
    if (current.state === 'fulfilled' && current.carrier === row.carrier && current.trackingNumber === row.trackingNumber) return 'unchanged';
    if (current.state === 'fulfilled') {
      return { code: 'REDEMPTION_NOT_PENDING', message: `兑换单 ${id} 已用 ${current.carrier} ${current.trackingNumber} 发货，不能改成别的单号。` };
    }
    return { code: 'REDEMPTION_NOT_PENDING', message: `兑换单 ${id} ${current.state === 'cancelled' ? '已取消' : '已处理'}，不能发货。` };
  }
}

function checkRow(row: SheetRow, id: number | null, seen: Set<number>): Refusal | null {
  const problems: string[] = [];
  if (id === null) problems.push(`${SHEET_ID}「${row.id}」不是兑换单号`);
  if (!row.carrier) problems.push(`${SHEET_CARRIER}为空`);
  else if (row.carrier.length > 32) problems.push(`${SHEET_CARRIER}超过 32 个字`);
  if (!TRACKING_NUMBER.test(row.trackingNumber)) problems.push(`${SHEET_TRACKING}「${row.trackingNumber}」只能是 4-64 位字母、数字或 -`);
  if (problems.length > 0) return { code: 'VALIDATION_FAILED', message: `${problems.join('；')}。` };
  if (seen.has(id!)) return { code: 'DUPLICATE_ROW', message: `兑换单 ${id} 在表中前面的行已出现过。` };
  return null;
}

const timeFormat = new Map<string, Intl.DateTimeFormat>();
function localTime(instant: Date, timeZone: string): string {
  let format = timeFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormat.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
