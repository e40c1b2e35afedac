import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServerProcess, type ServerProcess } from '../resilience/support/server-process';
import { eventually, launchChromium, openConsole, screenshot, type ConsolePage } from './support/browser';
import { makeMp3 } from '../server/upload/audio-fixtures';
import { Api, type Person } from './support/scenario';

/**
 * The console end to end, as an operator and a teacher would use it, in a real browser against a real
 * server process (temporary SQLite database, fake WeChat, the test clock). One browser and one server
 * for every step; each step goes on from the state the one before left. Pictures go to docs/console/.
 *
 * The cohort runs 2026-03-02 .. 03-08 (7 days); the story is told on day 3 (2026-03-04).
 */
const OPERATOR = 'e2e-operator';
const DAY = (n: number, time: string) => `2026-03-${String(1 + n).padStart(2, '0')}T${time}:00+08:00`;

let dataDir: string;
let server: ServerProcess;
let browser: Browser;
let ui: ConsolePage;
let page: Page;
let api: Api;
let operator: Person;
let teacher: Person;
const members: Record<string, Person> = {};
let cohortId: number;
let heldCheckinId: number;

const byTest = (name: string) => page.locator(`[data-test="${name}"]`);

/** What the Mini Program does after scanning the console's QR code: approve the ticket. */
async function scanAndApprove(approver: Person) {
  const qr = byTest('login-qr');
  await qr.locator('img').waitFor();
  const content = await qr.getAttribute('data-qr-content');
  expect(content).toMatch(/^checkin-console-login:[A-Za-z0-9_-]{22}$/);
  const ticket = content!.split(':')[1];
  const browserInfo = await approver.ok('GET', `/api/v1/console/login-tickets/${ticket}/browser`);
  expect(browserInfo).toMatchObject({ state: 'pending', ip: '127.0.0.1' });
  await approver.ok('POST', `/api/v1/console/login-tickets/${ticket}/approve`, {});
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-e2e-'));
  [server, browser] = await Promise.all([
    startServerProcess({
      DATA_DIR: dataDir, ALLOW_TEST_CLOCK: '1', OPERATOR_OPENIDS: OPERATOR, CONTENT_REVIEW_WORDS: '加微信',
      JOBS_ENABLED: '0', CONSOLE_DIR: path.resolve(__dirname, '../../dist/console'),
    }),
    launchChromium(),
  ]);
  api = new Api(server.url);
  await api.at('2026-03-01T09:00:00+08:00');
  operator = await api.login(OPERATOR, '运营小林');
  teacher = await api.login('e2e-teacher');
  await operator.ok('POST', `/api/v1/admin/members/${teacher.id}/roles`, { roles: ['teacher'] });
  // A name that looks like staff only once the role is held.
  await teacher.ok('PUT', '/api/v1/me', { nickname: '周老师' });
  for (const text of ['发音很清楚，继续保持！', '语速可以再慢一点，注意句子的停顿。', '今天的任务完成得很好 👍']) {
    await teacher.ok('POST', '/api/v1/teacher/templates', { text });
  }
  ui = await openConsole(browser, server.url);
  page = ui.page;
  page.setDefaultTimeout(10_000);
}, 120_000);

let step = 0;
afterEach(async () => {
  // The last picture of each step, to see what went wrong (not part of the docs).
  await page?.screenshot({ path: path.join(os.tmpdir(), `console-e2e-step-${++step}.png`) }).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the console', () => {
  it('logs an operator in by QR code, approved from the Mini Program', async () => {
    await page.goto('/console/');
    await page.waitForURL(/\/console\/login/);
    await byTest('login-status').getByText('等待扫码确认').waitFor();
    await screenshot(page, 'login');
    await scanAndApprove(operator);
    await page.waitForURL(/\/console\/cohorts$/);
    await expect(byTest('who').textContent()).resolves.toContain('运营小林');
  });

  it('creates a cohort and edits it', async () => {
    await byTest('new-cohort').click();
    await page.waitForURL(/\/cohorts\/new$/);
    await byTest('cohort-title').fill('英语口语 7 天 · 第3期');
    await byTest('cohort-start').locator('input').fill('2026-03-02');
    await byTest('cohort-start').locator('input').press('Enter');
    await byTest('cohort-teachers').click();
    await page.locator('.el-select-dropdown__item', { hasText: '周老师' }).click();
    await page.keyboard.press('Escape');
    await byTest('cohort-announcement').fill('每天晚上 9 点前完成打卡，老师第二天上午点评。');
    const prompts = ['自我介绍：用英语说说你自己', '描述你的房间', '在餐厅点餐', '问路与指路', '去看医生', '周末去购物', '录一段 1 分钟的总结'];
    for (const [i, text] of prompts.entries()) await byTest(`prompt-${i + 1}`).fill(text);
    await byTest('save-cohort').click();
    await page.waitForURL(/\/cohorts\/\d+\/edit$/);
    cohortId = Number(/cohorts\/(\d+)\/edit/.exec(page.url())![1]);
    await page.getByText('招募中 · 0 名学员').waitFor();
    const created = await operator.ok('GET', `/api/v1/cohorts/${cohortId}`);
    expect(created).toMatchObject({
      title: '英语口语 7 天 · 第3期', startDate: '2026-03-02', durationDays: 7, status: 'recruiting', teacherIds: [teacher.id],
      announcement: '每天晚上 9 点前完成打卡，老师第二天上午点评。',
    });
    expect(created.prompts.map((p: { text: string }) => p.text)).toEqual(prompts);

    await byTest('cohort-announcement').fill('明天开课！先进群，看置顶的学习指南。');
    await byTest('save-cohort').click();
    await eventually(async () => expect((await operator.ok('GET', `/api/v1/cohorts/${cohortId}`)).announcement).toBe('明天开课！先进群，看置顶的学习指南。'));
  });

  it('changes a future prompt while the cohort runs; today\'s and past prompts are locked', async () => {
    await seedCohortUntilDay3();
    // Three days later the 12-hour console session has ended: the console asks for the QR code again.
    await page.reload();
    await page.waitForURL(/\/console\/login\?redirect=/);
    await scanAndApprove(operator);
    await page.waitForURL(/\/cohorts\/\d+\/edit$/);
    await byTest('prompt-3').waitFor();
    await expect(byTest('prompt-2').isDisabled()).resolves.toBe(true);
    await expect(byTest('prompt-3').isDisabled()).resolves.toBe(true);
    await expect(byTest('prompt-4').isDisabled()).resolves.toBe(false);
    await expect(byTest('cohort-title').isDisabled()).resolves.toBe(true);
    await byTest('prompt-5').fill('去看医生：描述你的症状（可以录音）');
    await byTest('save-cohort').click();
    await eventually(async () => expect((await operator.ok('GET', `/api/v1/cohorts/${cohortId}`)).prompts[4].text).toBe('去看医生：描述你的症状（可以录音）'));
    await page.locator('.el-message--success').first().waitFor();
    // Tall enough to show the locked and open days of the prompts.
    await page.setViewportSize({ width: 1440, height: 1560 });
    await screenshot(page, 'cohort-edit');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('lists cohorts with today\'s numbers', async () => {
    await page.goto('/console/cohorts');
    await byTest('cohort-table').locator('.el-table__row').first().waitFor();
    await expect(byTest('cohort-table').textContent()).resolves.toContain('第 3 / 7 天');
    await screenshot(page, 'cohorts');
  });

  it('filters members by segment, tags them in bulk, records a follow-up and exports the segment as CSV', async () => {
    await byTest(`members-${cohortId}`).click();
    await page.waitForURL(/\/members$/);
    await byTest('member-table').locator('.el-table__row').first().waitFor();
    await byTest('segment-checked-in-today').click();
    const checkedIn = await operator.ok('GET', `/api/v1/cohorts/${cohortId}/members?segment=checked-in-today`);
    await eventually(async () => expect(await byTest('member-table').locator('.el-table__body .el-table__row').count()).toBe(checkedIn.total));

    await byTest('member-table').locator('.el-table__header .el-checkbox').click();
    await byTest('bulk-tag').click();
    const tags = (await operator.ok('GET', '/api/v1/tags')).items as Array<{ id: number; name: string }>;
    const potential = tags.find((tag) => tag.name === '潜力用户')!;
    await page.locator(`[data-test="add-tag-${potential.id}"]`).click();
    await eventually(async () => expect((await operator.ok('GET', `/api/v1/cohorts/${cohortId}/members?tag=${potential.id}`)).total).toBe(checkedIn.total));

    await byTest('segment-missed-today').click();
    const missed = await operator.ok('GET', `/api/v1/cohorts/${cohortId}/members?segment=missed-today`);
    await eventually(async () => expect(await byTest('member-table').locator('.el-table__body .el-table__row').count()).toBe(missed.total));
    const target = members['杨帆'];
    await byTest(`follow-up-${target.id}`).click();
    await byTest('state-contacted').click();
    await byTest('follow-up-note').fill('微信聊过：这周出差，周五回来补卡，想了解进阶课价格。');
    await byTest('save-follow-up').click();
    await byTest('follow-up-history').getByText('微信聊过：这周出差').waitFor();
    const followUps = await operator.ok('GET', `/api/v1/cohorts/${cohortId}/members/${target.id}/follow-ups`);
    expect(followUps).toMatchObject({ state: 'contacted', history: [{ by: { id: operator.id }, note: '微信聊过：这周出差，周五回来补卡，想了解进阶课价格。' }] });
    await screenshot(page, 'follow-up');
    await page.keyboard.press('Escape');

    await byTest('export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), byTest('export-csv').click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^cohort-\d+-members-missed-today-2026-03-04\.csv$/);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['学员ID', '昵称', '状态']);
    expect(lines.slice(1).map((line) => Number(line.split(',')[0])).sort()).toEqual(missed.items.map((row: { member: { id: number } }) => row.member.id).sort());
    expect(lines.find((line) => line.startsWith(`${target.id},`))).toContain('已联系');

    await byTest('segment-all').click();
    await eventually(async () => expect(await byTest('member-table').locator('.el-table__body .el-table__row').count()).toBe(8));
    await page.mouse.move(0, 0);
    await screenshot(page, 'members');
  });

  it('releases a post the content check held back', async () => {
    await page.goto('/console/moderation');
    await byTest(`held-${heldCheckinId}`).waitFor();
    await screenshot(page, 'moderation');
    const reader = members['王小明'];
    const before = await reader.ok('GET', `/api/v1/cohorts/${cohortId}/checkins`);
    expect(before.items.map((c: { id: number }) => c.id)).not.toContain(heldCheckinId);
    await byTest(`release-${heldCheckinId}`).click();
    await byTest(`held-${heldCheckinId}`).waitFor({ state: 'detached' });
    const after = await reader.ok('GET', `/api/v1/cohorts/${cohortId}/checkins`);
    expect(after.items.map((c: { id: number }) => c.id)).toContain(heldCheckinId);
    const audit = await operator.ok('GET', '/api/v1/admin/audit');
    expect(audit.items[0]).toMatchObject({ action: 'checkin.release', actor: { id: operator.id }, target: { type: 'checkin', id: heldCheckinId } });
  });

  it('shows people, the audit log and the login sessions', async () => {
    await page.goto('/console/people');
    await byTest('people-table').locator('.el-table__row').first().waitFor();
    // Make 赵敏 a teacher (a confirmation box), then open 王小明's points.
    await byTest(`teacher-${members['赵敏'].id}`).click();
    await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click();
    await eventually(async () => expect((await operator.ok('GET', `/api/v1/admin/members/${members['赵敏'].id}`)).member.roles).toEqual(['member', 'teacher']));
    await byTest(`person-${members['王小明'].id}`).click();
    await byTest('person-balance').waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'people');
    await page.keyboard.press('Escape');
    await page.goto('/console/audit');
    await byTest('audit-table').locator('.el-table__row').first().waitFor();
    await screenshot(page, 'audit');
    await page.goto('/console/sessions');
    await page.locator('.el-table__row').first().waitFor();
    await screenshot(page, 'sessions');
  });

  it('lets a teacher review three check-ins from the keyboard', async () => {
    await byTest('who').click();
    await byTest('logout').click();
    await page.waitForURL(/\/console\/login/);
    await scanAndApprove(teacher);
    await page.waitForURL(/\/console\/review$/);
    await byTest('review-current').waitFor();
    const queue = await teacher.ok('GET', '/api/v1/teacher/review-queue');
    const before = queue.counts;
    await page.mouse.move(0, 0);
    await screenshot(page, 'review');

    // The first check-in of the queue carries a recording, played from this server under the CSP.
    const recording = byTest('review-current').locator('[data-test="review-audio"]');
    const src = await recording.getAttribute('src');
    expect(src).toMatch(/^\/uploads\/audio\//);
    await expect(byTest('review-current').textContent()).resolves.toContain('24 秒');
    expect(await page.evaluate(async (url) => (await fetch(url)).headers.get('content-type'), src!)).toBe('audio/mpeg');

    // A photo opens large in the viewer; Escape closes it.
    await byTest('review-current').locator('.el-image').first().click();
    await page.locator('.el-image-viewer__wrapper').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });

    const reviewed: number[] = [];
    const current = async () => Number(await byTest('review-current').getAttribute('data-checkin-id'));
    // Look at the next one and come back, then work through three: a quick reply and send-and-next.
    const first = await current();
    await page.keyboard.press('j');
    await eventually(async () => expect(await current()).not.toBe(first));
    await page.keyboard.press('k');
    await eventually(async () => expect(await current()).toBe(first));
    for (const reply of ['1', '3', '2']) {
      const id = await current();
      await page.keyboard.press(reply);
      await page.keyboard.press('Control+Enter');
      await eventually(async () => expect(await current()).not.toBe(id));
      reviewed.push(id);
    }
    for (const [i, id] of reviewed.entries()) {
      const checkin = await teacher.ok('GET', `/api/v1/checkins/${id}`);
      expect(checkin.review).toMatchObject({ teacher: { id: teacher.id }, text: ['发音很清楚，继续保持！', '今天的任务完成得很好 👍', '语速可以再慢一点，注意句子的停顿。'][i] });
    }
    await eventually(async () => expect(Number(await byTest('done-today').textContent())).toBe(before.doneToday + 3));
    const after = (await teacher.ok('GET', '/api/v1/teacher/review-queue')).counts;
    expect(after).toMatchObject({ doneToday: before.doneToday + 3, pendingTotal: before.pendingTotal - 3 });
  });

  it('ran under its Content-Security-Policy without a violation or an uncaught error', () => {
    expect(ui.problems).toEqual([]);
  });
});

/**
 * Eight members join while the cohort recruits, then check in over days 1-3 as real members do
 * (some every day, some not, one with photos, one leaves); on day 3 one post is held by the content
 * check.
 */
async function seedCohortUntilDay3() {
  const habits: Record<string, number[]> = {
    王小明: [1, 2, 3], 李华: [1, 2, 3], 赵敏: [1, 2, 3], 张伟: [1, 2], 陈静: [2, 3], 刘洋: [1], 杨帆: [], 孙丽: [1],
  };
  for (const [i, name] of Object.keys(habits).entries()) {
    members[name] = await api.login(`e2e-member-${i}`, name);
    await members[name].ok('POST', `/api/v1/cohorts/${cohortId}/enrollments`, {});
  }
  const photos = await Promise.all(['#ffe7ba,#ffa940', '#d6f5e3,#52c41a', '#e6f4ff,#1677ff'].map((colours, i) => photo(colours, `Day ${i + 1}`)));
  const texts: Record<number, string[]> = {
    1: [
      'Hello everyone, my name is Xiaoming. I work as a nurse in Hangzhou and I want to speak English with patients.',
      '第一天打卡！用英语介绍了自己，录了三遍才满意，发音还要多练。',
      'Hi, I am Li Hua, a product manager. My goal: a 5-minute talk in English by the end of this cohort.',
      '自我介绍写好了，明天开始录音。',
    ],
    2: [
      '今天描述了我的房间：a small desk by the window, a bookshelf and too many plants. 录了两遍，第二遍好多了。',
      'My room is tiny but bright. I practised "there is / there are" ten times.',
      '跟读了房间描述的范文，把不会的单词都查了一遍。',
    ],
    3: [
      'Ordered a latte and a bagel in English today! Practised the dialogue three times before going in.',
      '和同事练了点餐对话，"Could I have the bill, please?" 终于说顺了。',
      'Restaurant role-play with my daughter: she was the waiter, I was the customer.',
    ],
  };
  for (const day of [1, 2, 3]) {
    await api.at(DAY(day, day === 3 ? '08:30' : '20:00'));
    for (const [name, days] of Object.entries(habits)) {
      if (!days.includes(day)) continue;
      const imageUrls = name === '王小明' ? [await api.uploadImage(members[name], photos[day - 1])] : [];
      // 王小明 also says it: the teacher hears the recording at the review desk.
      const audio = name === '王小明' && day === 1 ? { audioUrl: await api.uploadAudio(members[name], makeMp3(24)) } : {};
      const pool = texts[day];
      await members[name].ok('POST', `/api/v1/cohorts/${cohortId}/checkins`, { text: pool[Object.keys(habits).indexOf(name) % pool.length], imageUrls, ...audio });
    }
    if (day === 1) await members['孙丽'].ok('DELETE', `/api/v1/cohorts/${cohortId}/enrollments/me`);
  }
  await api.at(DAY(3, '10:30'));
  const asHeld = await members['刘洋'].ok('POST', `/api/v1/cohorts/${cohortId}/checkins`, { text: '补充学习资料，需要的同学加微信 ly_english 领取' });
  expect(asHeld.checkin.heldForReview).toBe(true);
  heldCheckinId = asHeld.checkin.id;
}

/** A photo-like PNG drawn by the browser. */
async function photo(colours: string, label: string): Promise<Buffer> {
  const [from, to] = colours.split(',');
  const canvas = await browser.newPage({ viewport: { width: 640, height: 480 } });
  await canvas.setContent(`<body style="margin:0"><div style="width:640px;height:480px;background:linear-gradient(135deg,${from},${to});display:flex;align-items:center;justify-content:center;font:600 64px sans-serif;color:rgba(0,0,0,.55)">${label} · 打卡</div></body>`);
  const png = await canvas.screenshot({ type: 'png' });
  await canvas.close();
  return png;
}
