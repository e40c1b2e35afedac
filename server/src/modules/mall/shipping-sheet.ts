import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { format } from '@fast-csv/format';
import { parseString } from '@fast-csv/parse';
import { loadExcelJs, neutralizeFormula } from '../../platform/spreadsheet';
import type { DeliveryAddress } from './mall.entities';

/**
 * The shipping sheet: the shipping list exported for the warehouse carries these headers, and the
 * same sheet, with the carrier and tracking number filled in, comes back as the import.
 */
export const SHEET_ID = '兑换单号';
export const SHEET_CARRIER = '快递公司';
export const SHEET_TRACKING = '快递单号';

/** Header names accepted for each column (the sheet's own Chinese ones and plain English). */
const headerAliases: Record<'id' | 'carrier' | 'trackingNumber', string[]> = {
  id: [SHEET_ID, '订单号', 'redemptionid', 'redemption id', 'id'],
  carrier: [SHEET_CARRIER, '快递', '物流公司', 'carrier'],
  trackingNumber: [SHEET_TRACKING, '运单号', '物流单号', 'trackingnumber', 'tracking number', 'tracking'],
};

export interface SheetRow {
  /** 1-based row number in the sheet (the header is row 1). */
  row: number;
  id: string;
  carrier: string;
  trackingNumber: string;
}

export class SheetError extends Error {}

export const MAX_SHEET_ROWS = 2000;

const normalizeHeader = (text: string) => text.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[_\s]+/g, ' ');

/** Where each needed column is, by its header; a SheetError names what is missing. */
function columnsOf(header: string[]): Record<keyof typeof headerAliases, number> {
  const normalized = header.map(normalizeHeader);
  const find = (names: string[]) => normalized.findIndex((h) => names.some((n) => normalizeHeader(n) === h || normalizeHeader(n).replace(/ /g, '') === h.replace(/ /g, '')));
  const columns = { id: find(headerAliases.id), carrier: find(headerAliases.carrier), trackingNumber: find(headerAliases.trackingNumber) };
  const missing = Object.entries(columns).filter(([, index]) => index < 0).map(([key]) => headerAliases[key as keyof typeof headerAliases][0]);
  if (missing.length > 0) throw new SheetError(`The first row must name the columns ${SHEET_ID}, ${SHEET_CARRIER} and ${SHEET_TRACKING}; missing: ${missing.join(', ')}.`);
  return columns;
}

function rowsOf(table: string[][]): SheetRow[] {
  if (table.length === 0) throw new SheetError('The sheet is empty.');
  const columns = columnsOf(table[0]);
  const rows: SheetRow[] = [];
  table.slice(1).forEach((cells, index) => {
    const cell = (i: number) => (cells[i] ?? '').trim();
    const row = { row: index + 2, id: cell(columns.id), carrier: cell(columns.carrier), trackingNumber: cell(columns.trackingNumber) };
    if (row.id || row.carrier || row.trackingNumber) rows.push(row);
  });
  if (rows.length > MAX_SHEET_ROWS) throw new SheetError(`The sheet has ${rows.length} rows; import at most ${MAX_SHEET_ROWS} at a time.`);
  return rows;
}

const isZip = (bytes: Buffer) => bytes.length > 4 && bytes.readUInt32LE(0) === 0x04034b50;

/** The rows of a CSV (UTF-8, BOM or not, comma or tab) or XLSX sheet (the first worksheet). */
export async function readShippingSheet(bytes: Buffer): Promise<SheetRow[]> {
  return rowsOf(isZip(bytes) ? await xlsxTable(bytes) : await csvTable(bytes));
}

async function csvTable(bytes: Buffer): Promise<string[][]> {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD')) throw new SheetError('The CSV is not UTF-8 text; save it as "CSV UTF-8" or as an .xlsx workbook.');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  return new Promise((resolve, reject) => {
    const table: string[][] = [];
    parseString<string[], string[]>(text, { delimiter, ignoreEmpty: true, trim: true, strictColumnHandling: false })
      .on('error', (error) => reject(new SheetError(`The CSV could not be read: ${error.message}.`)))
      .on('data', (row: string[]) => table.push(row))
      .on('end', () => resolve(table));
  });
}

async function xlsxTable(bytes: Buffer): Promise<string[][]> {
  const workbook = new (loadExcelJs().Workbook)();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new SheetError('The file is not a readable .xlsx workbook.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SheetError('The workbook has no worksheet.');
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      values[column - 1] = cell.text ?? '';
    });
    table.push(Array.from(values, (v) => v ?? ''));
  });
  return table;
}

// ---- the shipping list (export) ----

export interface ShippingListRow {
  id: number;
  productName: string;
  quantity: number;
  memberId: number;
  nickname: string;
  address: DeliveryAddress;
  redeemedAt: string;
}

interface Column {
  header: string;
  width: number;
  value: (row: ShippingListRow) => string | number;
}

const columns: Column[] = [
  { header: SHEET_ID, width: 10, value: (r) => r.id },
  { header: '商品', width: 20, value: (r) => r.productName },
  { header: '数量', width: 6, value: (r) => r.quantity },
  { header: '收件人', width: 10, value: (r) => r.address.name },
  { header: '电话', width: 14, value: (r) => r.address.phone },
  { header: '省', width: 10, value: (r) => r.address.province },
  { header: '市', width: 10, value: (r) => r.address.city },
  { header: '区', width: 10, value: (r) => r.address.district },
  { header: '详细地址', width: 36, value: (r) => r.address.detail },
  { header: '学员ID', width: 8, value: (r) => r.memberId },
  { header: '昵称', width: 14, value: (r) => r.nickname },
  { header: '兑换时间', width: 18, value: (r) => r.redeemedAt },
  { header: SHEET_CARRIER, width: 12, value: () => '' },
  { header: SHEET_TRACKING, width: 20, value: () => '' },
];

export function shippingListCsv(rows: ShippingListRow[]): Readable {
  const csv = format({ headers: columns.map((c) => c.header), writeBOM: true, alwaysWriteHeaders: true });
  void (async () => {
    for (const row of rows) {
      if (!csv.write(columns.map((c) => neutralizeFormula(c.value(row))))) await once(csv, 'drain');
    }
    csv.end();
  })();
  return csv;
}

export async function shippingListXlsx(rows: ShippingListRow[]): Promise<Readable> {
  const workbook = new (loadExcelJs().Workbook)();
  const sheet = workbook.addWorksheet('发货单');
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  for (const row of rows) sheet.addRow(columns.map((c) => neutralizeFormula(c.value(row))));
  sheet.getRow(1).font = { bold: true };
  const out = new PassThrough();
  out.end(Buffer.from(await workbook.xlsx.writeBuffer()));
  return out;
}
