import ExcelJS from 'exceljs';
import { MallRedemption } from '../../../server/src/modules/mall/mall.entities';
import { AuditEntry } from '../../../server/src/modules/audit/audit.entity';
import { at, createCohort, expectBalancesMatchLedger, joinAs, operatorOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { address, createProduct, givePoints, redeem } from './mall-helpers';

let t: TestApp;
let operator: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

async function orders(count: number, member: LoggedIn, kind: 'physical' | 'virtual' = 'physical'): Promise<number[]> {
  const product = await createProduct(t, operator, { kind, stock: 50, pointsPrice: 10 });
  await givePoints(t, operator, member, 10 * count);
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const answer = await redeem(t, member, { productId: product.id, ...(kind === 'physical' ? { address } : {}) }).expect(201);
    ids.push(answer.body.redemption.id);
  }
  return ids;
}

const importSheet = (bytes: Buffer, name = 'sheet.csv', who: LoggedIn = operator) =>
  t.http.post('/api/v1/mall/redemptions/import').set(who.auth).attach('file', bytes, name);

const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');

async function xlsx(rows: Array<Array<string | number>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('发货');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const stateOf = async (id: number) => t.db.dataSource.manager.findOneByOrFail(MallRedemption, { id });

describe('importing a shipping sheet', () => {
  it('ships the good rows, refuses each bad one with its reason, and a re-import changes nothing', async () => {
    const member = await loginAs(t, 'sheet-a');
    const [a, b, c, d] = await orders(4, member);
    const [v] = await orders(1, member, 'virtual');
    await t.http.post(`/api/v1/mall/redemptions/${d}/cancel`).set(operator.auth).send({ reason: '缺货' }).expect(200);
    const sheet = csv([
      '兑换单号,商品,快递公司,快递单号',
      `${a},帆布包,顺丰,SF1234567890`,
      `${b},帆布包,中通,ZT-998877`,
      `${c},帆布包,顺丰,bad number!`,
      `${d},帆布包,顺丰,SF000111`,
      `${v},会员卡,顺丰,SF000222`,
      '999999,帆布包,顺丰,SF000333',
      'abc,帆布包,顺丰,SF000444',
      `${a},帆布包,圆通,YT0001`,
      ',,,',
    ]);
    const first = await importSheet(sheet).expect(200);
    expect(first.body.rows).toBe(8);
    expect(first.body.applied).toEqual([
      { row: 2, redemptionId: a, carrier: '顺丰', trackingNumber: 'SF1234567890' },
      { row: 3, redemptionId: b, carrier: '中通', trackingNumber: 'ZT-998877' },
    ]);
    expect(first.body.unchanged).toEqual([]);
    expect(first.body.refused.map((r: { row: number; code: string }) => [r.row, r.code])).toEqual([
      [4, 'VALIDATION_FAILED'], [5, 'REDEMPTION_NOT_PENDING'], [6, 'NOT_PHYSICAL'], [7, 'NOT_FOUND'], [8, 'VALIDATION_FAILED'], [9, 'DUPLICATE_ROW'],
    ]);
    expect(first.body.refused[0].message).toContain('快递单号');
    expect(await stateOf(a)).toMatchObject({ state: 'fulfilled', carrier: '顺丰', trackingNumber: 'SF1234567890', fulfilledBy: operator.memberId });
    expect(await stateOf(c)).toMatchObject({ state: 'pending', carrier: null });
    expect(await stateOf(d)).toMatchObject({ state: 'cancelled' });
    expect(await stateOf(v)).toMatchObject({ state: 'pending' });

    const fulfilledAt = (await stateOf(a)).fulfilledAt;
    await at(t, '2026-03-05T10:00:00+08:00');
    const again = await importSheet(sheet).expect(200);
    expect(again.body.applied).toEqual([]);
    expect(again.body.unchanged).toEqual([{ row: 2, redemptionId: a }, { row: 3, redemptionId: b }]);
    expect(again.body.refused).toHaveLength(6);
    expect((await stateOf(a)).fulfilledAt).toEqual(fulfilledAt);

    const audits = await t.db.dataSource.manager.findBy(AuditEntry, { action: 'redemptions.import' });
    expect(audits.at(-1)).toMatchObject({ actorId: operator.memberId, details: { rows: 8, applied: 0, unchanged: 2, refused: 6 } });
  });

  it('reads an XLSX sheet with English headers, and refuses a shipped order with another number', async () => {
    const member = await loginAs(t, 'sheet-b');
    const [a, b] = await orders(2, member);
    await t.http.post(`/api/v1/mall/redemptions/${a}/fulfil`).set(operator.auth).send({ carrier: '顺丰', trackingNumber: 'SF111' + 'X' }).expect(200);
    const answer = await importSheet(await xlsx([['Redemption ID', 'Carrier', 'Tracking Number'], [a, '圆通', 'YT22222'], [b, '圆通', 'YT33333']]), 'sheet.xlsx').expect(200);
    expect(answer.body.applied).toEqual([{ row: 3, redemptionId: b, carrier: '圆通', trackingNumber: 'YT33333' }]);
    expect(answer.body.refused).toEqual([
      { row: 2, redemptionId: a, code: 'REDEMPTION_NOT_PENDING', message: expect.stringContaining('SF111X') },
    ]);
    expect(await stateOf(a)).toMatchObject({ carrier: '顺丰', trackingNumber: 'SF111X' });
  });

  it('two operators importing the same sheet at once ship each order once', async () => {
    const member = await loginAs(t, 'sheet-c');
    const ids = await orders(6, member);
    const sheet = csv(['兑换单号,快递公司,快递单号', ...ids.map((id) => `${id},顺丰,SF9${id}00`)]);
    const answers = await Promise.all([importSheet(sheet), importSheet(sheet)]);
    const applied = answers.flatMap((a) => a.body.applied.map((r: { redemptionId: number }) => r.redemptionId)).sort((x, y) => x - y);
    const unchanged = answers.flatMap((a) => a.body.unchanged);
    expect(applied).toEqual(ids);
    expect(unchanged).toHaveLength(ids.length);
  });

  it('refuses what is not a shipping sheet with a message a person can act on, and is for operators only', async () => {
    const missing = await importSheet(csv(['订单,备注', '1,x'])).expect(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('快递单号') });
    expect((await importSheet(Buffer.from('PK\u0003\u0004garbage'), 'x.xlsx').expect(400)).body.error.message).toContain('.xlsx');
    expect((await importSheet(Buffer.from([0xff, 0xfe, 0x41, 0x00])).expect(400)).body.error.message).toContain('UTF-8');
    expect((await t.http.post('/api/v1/mall/redemptions/import').set(operator.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    const tooBig = await importSheet(Buffer.alloc(2 * 1024 * 1024 + 10, 0x41)).expect(413);
    expect(tooBig.body.error.code).toBe('FILE_TOO_LARGE');
    const member = await loginAs(t, 'sheet-d');
    expect((await importSheet(csv(['兑换单号,快递公司,快递单号']), 'x.csv', member).expect(403)).body.error.code).toBe('FORBIDDEN');
  });
});

describe('the shipping list', () => {
  it('lists pending physical orders with addresses for operators, audited, in the sheet the import reads back', async () => {
    const member = await loginAs(t, 'ship-list');
    const [a, b] = await orders(2, member);
    await t.http.post(`/api/v1/mall/redemptions/${b}/fulfil`).set(operator.auth).send({ carrier: '顺丰', trackingNumber: 'SF5555' }).expect(200);
    const answer = await t.http.get('/api/v1/mall/redemptions/shipping-list?format=xlsx').set(operator.auth).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(answer.headers['content-disposition']).toMatch(/attachment; filename="shipping-\d{12}\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.body as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0].getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(rows[0]).toEqual(['兑换单号', '商品', '数量', '收件人', '电话', '省', '市', '区', '详细地址', '学员ID', '昵称', '兑换时间', '快递公司', '快递单号']);
    const mine = rows.find((row) => row[0] === a)!;
    expect(mine.slice(3, 9)).toEqual([address.name, address.phone, address.province, address.city, address.district, address.detail]);
    expect(rows.some((row) => row[0] === b)).toBe(false);

    const sheet = workbook.worksheets[0];
    sheet.eachRow((row) => {
      if (row.getCell(1).value === a) {
        row.getCell(13).value = '京东';
        row.getCell(14).value = 'JD00012345';
      }
    });
    const imported = await importSheet(Buffer.from(await workbook.xlsx.writeBuffer()), 'filled.xlsx').expect(200);
    expect(imported.body.applied).toContainEqual({ row: expect.any(Number), redemptionId: a, carrier: '京东', trackingNumber: 'JD00012345' });
    expect(imported.body.refused.every((r: { code: string }) => r.code === 'VALIDATION_FAILED')).toBe(true);

    const audit = await t.db.dataSource.manager.findOneByOrFail(AuditEntry, { action: 'redemptions.shipping_list' });
    expect(audit).toMatchObject({ actorId: operator.memberId, details: { format: 'xlsx' } });
    const csvAnswer = await t.http.get('/api/v1/mall/redemptions/shipping-list?format=csv').set(operator.auth).expect(200);
    expect(csvAnswer.headers['content-type']).toContain('text/csv');
    expect(csvAnswer.text).not.toContain(`\n${a},`);
    expect((await t.http.get('/api/v1/mall/redemptions/shipping-list').set(member.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
  });
});

describe('filtering redemptions', () => {
  it('by cohort (its members) and by business dates', async () => {
    await at(t, '2026-03-20T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-23' });
    const inCohort = await joinAs(t, 'filter-in', cohort.id);
    const outside = await loginAs(t, 'filter-out');
    await at(t, '2026-04-01T23:30:00+08:00');
    const [early] = await orders(1, inCohort);
    await at(t, '2026-04-02T00:30:00+08:00');
    const [late] = await orders(1, inCohort);
    const [other] = await orders(1, outside);
    const list = async (query: string) =>
      (await t.http.get(`/api/v1/mall/redemptions?${query}`).set(operator.auth).expect(200)).body.items.map((r: { id: number }) => r.id);
    expect(await list(`cohortId=${cohort.id}`)).toEqual([late, early]);
    expect(await list(`cohortId=${cohort.id}&from=2026-04-02&to=2026-04-02`)).toEqual([late]);
    expect(await list('from=2026-04-01&to=2026-04-01')).toEqual([early]);
    expect(await list('from=2026-04-02&state=pending')).toEqual(expect.arrayContaining([late, other]));
    expect((await t.http.get('/api/v1/mall/redemptions?from=2026-13-01').set(operator.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});
