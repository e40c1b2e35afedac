import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { format } from '@fast-csv/format';
import { loadExcelJs, neutralizeFormula } from '../../platform/spreadsheet';
import type { CohortMemberRow } from './cohort-members';
import type { FollowUpState } from './follow-up-rules';

const statusLabels: Record<CohortMemberRow['status'], string> = { active: '在读', left: '已退出', removed: '已移出' };
export const followUpLabels: Record<FollowUpState, string> = {
  not_contacted: '未联系', contacted: '已联系', converted: '已转化', dropped: '已流失',
};

interface ExportColumn {
  header: string;
  width: number;
  value: (row: CohortMemberRow, timeZone: string) => string | number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** "yyyy-MM-dd HH:mm" in the business time zone (one formatter per zone: thousands of rows). */
function localTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const roundColumn = (round: number): ExportColumn => ({
  header: `第${round}轮`,
  width: 12,
  value: (row) => {
    const payment = row.payments.find((p) => p.round === round);
    if (!payment) return '';
    return payment.state === 'paid' ? `已付 ¥${(payment.amountFen / 100).toFixed(2)}` : '未付';
  },
});

/** The export's columns, in Chinese for the operators who open the file. */
const columns: ExportColumn[] = [
  { header: '学员ID', width: 10, value: (row) => row.member.id },
  { header: '昵称', width: 18, value: (row) => row.member.nickname },
  { header: '状态', width: 8, value: (row) => statusLabels[row.status] },
  { header: '加入时间', width: 18, value: (row, tz) => localTime(row.joinedAt, tz) },
  { header: '已打卡天数', width: 10, value: (row) => row.daysDone },
  { header: '补卡', width: 6, value: (row) => row.makeUps },
  { header: '当前连续', width: 9, value: (row) => row.streak.current },
  { header: '最长连续', width: 9, value: (row) => row.streak.longest },
  { header: '今日已打卡', width: 10, value: (row) => (row.checkedInToday ? '是' : '否') },
  { header: '本期积分', width: 9, value: (row) => row.points },
  roundColumn(1),
  roundColumn(2),
  roundColumn(3),
  { header: '标签', width: 20, value: (row) => row.tags.map((t) => t.name).join('、') },
  { header: '跟进状态', width: 9, value: (row) => followUpLabels[row.followUp?.state ?? 'not_contacted'] },
  { header: '跟进备注', width: 30, value: (row) => row.followUp?.note ?? '' },
  { header: '跟进人', width: 12, value: (row) => row.followUp?.by.nickname ?? '' },
  { header: '跟进时间', width: 18, value: (row, tz) => localTime(row.followUp?.updatedAt, tz) },
];

/** UTF-8 CSV with a BOM (so Excel reads the Chinese right), written as the chunks arrive. */
export function membersCsv(chunks: AsyncIterable<CohortMemberRow[]>, timeZone: string): Readable {
  const csv = format({ headers: columns.map((c) => c.header), writeBOM: true, alwaysWriteHeaders: true });
  void (async () => {
    try {
      for await (const chunk of chunks) {
        for (const row of chunk) {
          if (!csv.write(columns.map((c) => neutralizeFormula(c.value(row, timeZone))))) await once(csv, 'drain');
        }
      }
      csv.end();
    } catch (error) {
      csv.destroy(error as Error);
    }
  })();
  return csv;
}

/** An XLSX workbook written with exceljs' streaming writer: each row is committed as it comes. */
export function membersXlsx(chunks: AsyncIterable<CohortMemberRow[]>, timeZone: string, sheetName: string): Readable {
  const out = new PassThrough();
  const workbook = new (loadExcelJs().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || '学员', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const chunk of chunks) {
        for (const row of chunk) sheet.addRow(columns.map((c) => c.value(row, timeZone))).commit();
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}
