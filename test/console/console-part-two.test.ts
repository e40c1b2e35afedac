import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { startServerProcess, type ServerProcess } from '../resilience/support/server-process';
import { eventually, launchChromium, openConsole, screenshot, type ConsolePage } from './support/browser';
import { Api, type Person } from './support/scenario';

/**
 * Console part two end to end (issue 13), as an operator runs the mall and reads the funnel: a real
 * server process (temporary SQLite, fake WeChat and WeChat Pay, the test clock) and Debian's chromium.
 *
 * A 7-day cohort ran 2026-03-02 .. 03-08; its first offer round sold on day 8; it was disbanded into
 * the next cohort on 03-10, where two of its members went on. The story is told on 2026-03-10, and
 * the evening summary planned for the next cohort goes out at 17:00 by the test clock.
 */
const OPERATOR = 'e2e2-operator';
const DAY = (n: number, time: string) => `2026-03-${String(1 + n).padStart(2, '0')}T${time}:00+08:00`;
const address = { name: '王小明', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 90 号 3 幢 501' };

let dataDir: string;
let server: ServerProcess;
let browser: Browser;
let ui: ConsolePage;
let page: Page;
let api: Api;
let operator: Person;
const members: Person[] = [];
let cohortId: number;
let productId: number;
let nextCohortId: number;

const byTest = (name: string) => page.locator(`[data-test="${name}"]`);
/** The text box of a form field (Element Plus puts the attribute on the input or around it). */
const field = (name: string) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-e2e2-'));
  [server, browser] = await Promise.all([
    startServerProcess({ DATA_DIR: dataDir, ALLOW_TEST_CLOCK: '1', OPERATOR_OPENIDS: OPERATOR, JOBS_ENABLED: '1', JOBS_TICK_MS: '200', CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }),
    launchChromium(),
  ]);
  api = new Api(server.url);
  await seedFinishedCohort();
  ui = await openConsole(browser, server.url);
  page = ui.page;
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the console, part two', () => {
  it('logs the operator in (approved from the Mini Program)', async () => {
    await page.goto('/console/login');
    const qr = byTest('login-qr');
    await qr.locator('img').waitFor();
    const ticket = (await qr.getAttribute('data-qr-content'))!.split(':')[1];
    await operator.ok('POST', `/api/v1/console/login-tickets/${ticket}/approve`, {});
    await page.waitForURL(/\/console\/cohorts$/);
  });

  it('creates a product with an image, and adjusts its stock with a note', async () => {
    await page.goto('/console/mall/products');
    await byTest('product-new').click();
    await field('product-name').fill('打卡纪念帆布包');
    await byTest('product-image').setInputFiles({ name: 'bag.png', mimeType: 'image/png', buffer: await picture('#fff1b8,#fa8c16', '帆布包') });
    await byTest('product-editor').locator('.el-image img').first().waitFor();
    await field('product-price').fill('120');
    await field('product-stock').fill('20');
    await page.waitForTimeout(200);
    await screenshot(page, 'mall-product-edit');
    await byTest('product-save').click();
    await byTest('products-table').getByText('打卡纪念帆布包').waitFor();
    const [product] = (await operator.ok('GET', '/api/v1/mall/products?includeInactive=true')).items;
    expect(product).toMatchObject({ name: '打卡纪念帆布包', pointsPrice: 120, stock: 20, kind: 'physical', active: true });
    expect(product.imageUrls).toEqual([expect.stringMatching(/^\/uploads\/img\//)]);
    productId = product.id;

    await byTest(`stock-${productId}`).click();
    await field('stock-delta').fill('5');
    await field('stock-note').fill('补货：第二批到了');
    await byTest('stock-save').click();
    await byTest('stock-history').getByText('补货：第二批到了').waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'mall-stock');
    await page.keyboard.press('Escape');
    const history = (await operator.ok('GET', `/api/v1/mall/products/${productId}/stock`)).items;
    expect(history.map((h: { delta: number; stockAfter: number }) => [h.delta, h.stockAfter])).toEqual([[5, 25], [20, 20]]);
    await screenshot(page, 'mall-products');
  });

  it('exports the pending orders as a shipping list, and imports the filled-in sheet with a bad row', async () => {
    const orders: number[] = [];
    for (const member of members.slice(0, 3)) {
      const answer = await member.ok('POST', '/api/v1/mall/redemptions', { productId, quantity: 1, requestId: `e2e-${member.id}-bag`, address: { ...address, name: `收件人${member.id}` } });
      orders.push(answer.redemption.id);
    }
    await page.goto('/console/mall/redemptions');
    await byTest('redemptions-table').locator('.el-table__row').nth(2).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), byTest('shipping-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^shipping-\d{12}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const rows = workbook.worksheets[0].getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(rows[0].slice(0, 5)).toEqual(['兑换单号', '商品', '数量', '收件人', '电话']);
    expect(rows.slice(1).map((row) => [row[0], row[3]])).toEqual(orders.map((id, i) => [id, `收件人${members[i].id}`]));

    // The warehouse fills in two rows; the third has a typo in its tracking number.
    const sheet = ['兑换单号,快递公司,快递单号', `${orders[0]},顺丰,SF1400000001`, `${orders[1]},中通,ZT7700000002`, `${orders[2]},中通,ZT 77 0003`].join('\n');
    await byTest('shipping-import').setInputFiles({ name: '发货单.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${sheet}\n`) });
    await byTest('import-report').getByText('共 3 行：发货 2，之前已导入 0，未通过 1').waitFor();
    await byTest('import-refused').getByText('快递单号「ZT 77 0003」只能是 4-64 位字母、数字或 -', { exact: false }).waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'mall-import-report');
    const states = await Promise.all(orders.map(async (id) => (await operator.ok('GET', `/api/v1/mall/redemptions/${id}`)).state));
    expect(states).toEqual(['fulfilled', 'fulfilled', 'pending']);

    // The same sheet again changes nothing.
    await page.keyboard.press('Escape');
    await byTest('import-report').waitFor({ state: 'hidden' });
    await byTest('shipping-import').setInputFiles({ name: '发货单.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${sheet}\n`) });
    await byTest('import-report').getByText('共 3 行：发货 0，之前已导入 2，未通过 1').waitFor();
    await page.keyboard.press('Escape');
    await byTest('import-report').waitFor({ state: 'hidden' });

    // Fulfil the last one by hand.
    await byTest(`fulfil-${orders[2]}`).click();
    await field('fulfil-carrier').fill('中通');
    await field('fulfil-tracking').fill('ZT7700000003');
    await byTest('fulfil-save').click();
    await eventually(async () => expect((await operator.ok('GET', `/api/v1/mall/redemptions/${orders[2]}`)).state).toBe('fulfilled'));
    await byTest('filter-state').click();
    await page.locator('.el-select-dropdown__item', { hasText: '全部状态' }).click();
    await byTest('redemptions-table').getByText('SF1400000001').waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'mall-redemptions');
    const audit = (await operator.ok('GET', '/api/v1/admin/audit')).items.map((a: { action: string }) => a.action);
    expect(audit.slice(0, 3)).toEqual(['redemptions.import', 'redemptions.import', 'redemptions.shipping_list']);
  });

  it('reads the dashboard, whose numbers are the metrics API\'s, and records a cost', async () => {
    await page.goto('/console/dashboard');
    await byTest('overview-table').getByText('英语口语 7 天 · 第1期').waitFor();
    await byTest('dashboard-cohort').click();
    await page.locator('.el-select-dropdown__item', { hasText: '英语口语 7 天 · 第1期' }).click();
    await byTest('kpi-enrolled').waitFor();

    await field('cost-yuan').fill('150');
    await field('cost-date').fill('2026-03-08');
    await field('cost-date').press('Enter');
    await byTest('cost-add').click();
    await byTest('costs').getByText('¥150.00').first().waitFor();

    const metrics = await operator.ok('GET', `/api/v1/cohorts/${cohortId}/metrics`);
    expect(metrics.costs.total).toBe(15000);
    const text = async (name: string) => (await byTest(name).textContent())!.trim();
    await eventually(async () => expect(await text('kpi-roi')).toBe(metrics.roi.toFixed(2)));
    expect(await text('kpi-enrolled')).toBe(String(metrics.enrolled));
    expect(await text('kpi-completion')).toBe(`${(metrics.completionRate * 100).toFixed(1)}%`);
    expect(await text('kpi-conversion')).toBe(`${(metrics.conversionRate * 100).toFixed(1)}%`);
    expect(await text('kpi-revenue')).toBe(`¥${(metrics.revenueFen / 100).toFixed(2)}`);
    expect(await text('kpi-aov')).toBe(`¥${(metrics.averageOrderValueFen / 100).toFixed(2)}`);
    expect(await text('kpi-retention')).toBe(`${(metrics.retention.rate * 100).toFixed(1)}%`);
    expect(metrics).toMatchObject({ enrolled: 5, payers: 2, revenueFen: 29800, averageOrderValueFen: 14900, retention: { carried: 2, rate: 0.4 } });

    const [download] = await Promise.all([page.waitForEvent('download'), byTest('chart-daily-csv').click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csv[0]).toBe('第几天,打卡人数,打卡率');
    expect(csv.slice(1)).toEqual(metrics.checkinRateByDay.map((d: { day: number; checkins: number; rate: number }) => `${d.day},${d.checkins},${d.rate}`));

    const [overviewFile] = await Promise.all([page.waitForEvent('download'), byTest('chart-overview-csv').click()]);
    const overviewCsv = fs.readFileSync((await overviewFile.path())!, 'utf8');
    expect(overviewCsv).toContain(`${cohortId},英语口语 7 天 · 第1期,2026-03-02,已解散,5,${metrics.completionRate},${metrics.conversionRate},2,298,149,150,${metrics.roi},0.4`);
    await page.waitForTimeout(600);
    await screenshot(page, 'dashboard');
    await byTest('chart-rounds').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await screenshot(page, 'dashboard-cohort');
  });

  it('plans the evening summary for the next cohort on two days and sees today\'s go out at 17:00 by the test clock', async () => {
    // The two members carried into the next cohort allow reminder messages (one of them twice).
    await members[0].ok('POST', '/api/v1/me/subscriptions', { results: { 'fake-tmpl-reminder': 'accept' } }, 200);
    await page.goto('/console/cohorts');
    await byTest(`announcements-${nextCohortId}`).click();
    await page.waitForURL(/\/cohorts\/\d+\/announcements$/);
    await byTest('slot-summary').click();
    await field('announcement-title').fill('今日总结：明天开课，先进群');
    await page.locator('textarea[data-test="announcement-body"], [data-test="announcement-body"] textarea').first().fill('开课前的准备：进群看置顶的学习指南，准备好耳机和一个安静的角落。开课后每天早上 8 点的任务会发在这里。');
    await byTest('announcement-dates').locator('input').click();
    await page.locator('.el-picker-panel .el-date-table td.available', { hasText: /^\s*10\s*$/ }).first().click();
    await page.locator('.el-picker-panel .el-date-table td.available', { hasText: /^\s*11\s*$/ }).first().click();
    await byTest('announcement-editor').locator('.el-dialog__title').click();
    await page.waitForTimeout(200);
    await screenshot(page, 'announcement-plan');
    await byTest('announcement-save').click();
    await byTest('timetable').getByText('2026-03-11').waitFor();
    const planned = (await operator.ok('GET', `/api/v1/cohorts/${nextCohortId}/announcements`)).items;
    expect(planned.map((a: { date: string; time: string; slot: string; state: string }) => [a.date, a.time, a.slot, a.state])).toEqual([
      ['2026-03-10', '17:00', 'summary', 'scheduled'], ['2026-03-11', '17:00', 'summary', 'scheduled'],
    ]);

    // (The console login lasts 12 hours: the clock stays within the day.)
    await api.at('2026-03-10T17:00:00+08:00');
    await eventually(async () => expect((await operator.ok('GET', `/api/v1/cohorts/${nextCohortId}/announcements`)).items[0].state).toBe('published'), 8000);
    const [sent] = (await operator.ok('GET', `/api/v1/cohorts/${nextCohortId}/announcements`)).items;
    expect(sent).toMatchObject({ recipients: 2, messagesSent: 1 });
    const today = await members[1].ok('GET', `/api/v1/cohorts/${nextCohortId}/today/announcements`);
    expect(today.items.map((a: { title: string }) => a.title)).toEqual(['今日总结：明天开课，先进群']);
    await page.reload();
    await eventually(async () => expect(await byTest(`sent-${sent.id}`).textContent()).toContain('17:00 发出 · 2 名学员可见 · 订阅消息 1 条'));
    await screenshot(page, 'announcements');
  });

  it('ran under its Content-Security-Policy without a violation or an uncaught error', () => {
    expect(ui.problems).toEqual([]);
  });
});

/**
 * Five members, check-ins over the 7 days (two every day), a teacher's reviews, likes and a comment,
 * an offer bought by two of them on day 8, and the cohort disbanded into the next one, joined by two.
 */
async function seedFinishedCohort() {
  await api.at('2026-03-01T09:00:00+08:00');
  operator = await api.login(OPERATOR, '运营小林');
  const teacher = await api.login('e2e2-teacher');
  await operator.ok('POST', `/api/v1/admin/members/${teacher.id}/roles`, { roles: ['teacher'] });
  await teacher.ok('PUT', '/api/v1/me', { nickname: '周老师' });
  cohortId = (await operator.ok('POST', '/api/v1/cohorts', { title: '英语口语 7 天 · 第1期', theme: 'spoken-english', durationDays: 7, startDate: '2026-03-02', teacherIds: [teacher.id] })).id;
  const names = ['王小明', '李华', '赵敏', '张伟', '陈静'];
  for (const [i, name] of names.entries()) {
    const member = await api.login(`e2e2-member-${i}`, name);
    await member.ok('POST', `/api/v1/cohorts/${cohortId}/enrollments`, {});
    members.push(member);
  }
  const habits = [[1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 5], [1, 2], [1]];
  for (let day = 1; day <= 7; day += 1) {
    await api.at(DAY(day, '20:00'));
    for (const [i, member] of members.entries()) {
      if (!habits[i].includes(day)) continue;
      const { checkin } = await member.ok('POST', `/api/v1/cohorts/${cohortId}/checkins`, { text: `Day ${day}: practised speaking for 15 minutes.` });
      if (day <= 2) {
        await api.at(DAY(day, i % 2 === 0 ? '21:00' : '22:30'));
        await teacher.ok('POST', `/api/v1/checkins/${checkin.id}/reviews`, { text: '发音清楚，继续保持！' });
        if (i > 0) await members[0].ok('PUT', `/api/v1/checkins/${checkin.id}/like`, undefined, 200);
        await api.at(DAY(day, '20:00'));
      }
    }
  }
  await api.at(DAY(8, '10:00'));
  const offer = await operator.ok('POST', `/api/v1/cohorts/${cohortId}/offers`, { round: 1, title: '进阶 21 天', priceFen: 14900 });
  for (const member of members.slice(0, 2)) {
    await member.ok('GET', '/api/v1/me/offers');
    const { order } = await member.ok('POST', `/api/v1/offers/${offer.id}/orders`, {});
    await member.ok('POST', `/api/v1/dev/orders/${order.id}/pay`, {}, 200);
  }
  for (const member of members) await operator.ok('POST', `/api/v1/admin/members/${member.id}/points`, { delta: 500, note: '期末奖励', requestId: `e2e2-bonus-${member.id}` }, 200);
  await api.at('2026-03-10T10:00:00+08:00');
  const next = await operator.ok('POST', '/api/v1/cohorts', { title: '英语口语 7 天 · 第2期', theme: 'spoken-english', durationDays: 7, startDate: '2026-03-16' });
  nextCohortId = next.id;
  for (const member of members.slice(0, 2)) await member.ok('POST', `/api/v1/cohorts/${next.id}/enrollments`, {});
  await operator.ok('POST', `/api/v1/cohorts/${cohortId}/disband`, { nextCohortId: next.id }, 200);
}

/** A product-photo-like PNG drawn by the browser. */
async function picture(colours: string, label: string): Promise<Buffer> {
  const [from, to] = colours.split(',');
  const canvas = await browser.newPage({ viewport: { width: 480, height: 480 } });
  await canvas.setContent(`<body style="margin:0"><div style="width:480px;height:480px;background:linear-gradient(135deg,${from},${to});display:flex;align-items:center;justify-content:center;font:600 56px sans-serif;color:rgba(0,0,0,.55)">${label}</div></body>`);
  const png = await canvas.screenshot({ type: 'png' });
  await canvas.close();
  return png;
}
