/**
 * What every page must do, checked over all of them: pull-to-refresh on lists, press feedback on
 * tappable views, tab bar icons, dialogs whose confirm colour matches what it does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fakeServer, ok } from './helpers/fake-server';
import { pageMethods, renderPage, settle, textOf } from './helpers/render';

const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');
const read = (file: string) => fs.readFileSync(path.join(MINIPROGRAM, file), 'utf8');
const json = <T>(file: string) => JSON.parse(read(file)) as T;

interface AppJson {
  pages: string[];
  subPackages: { root: string; pages: string[] }[];
  tabBar: { color: string; selectedColor: string; list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] };
}
const app = json<AppJson>('app.json');
const allPages = [...app.pages, ...app.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
const wxmlFiles = (fs.readdirSync(MINIPROGRAM, { recursive: true }) as string[]).filter((f) => f.endsWith('.wxml') && !f.startsWith('miniprogram_npm'));

/** Pages that show a list or data that changes while the page is open. */
const REFRESHABLE = [
  'pages/home/index', 'pages/mall/index', 'pages/me/index', 'pages/cohort/index', 'pages/cohort/progress', 'pages/cohort/feed',
  'pages/points/index', 'pages/offers/index', 'packageMall/pages/product/index', 'packageMall/pages/redemptions/index',
  'packageTeacher/pages/queue/index', 'packageTeacher/pages/templates/index', 'packageOperator/pages/cohorts/index',
  'packageOperator/pages/cohort/index', 'packageOperator/pages/metrics/index', 'packageOperator/pages/roles/index',
];

test.each(REFRESHABLE)('%s refreshes on pull-down and stops the spinner', (page) => {
  expect(allPages).toContain(page);
  expect(json<{ enablePullDownRefresh?: boolean }>(`${page}.json`).enablePullDownRefresh).toBe(true);
  const source = read(`${page}.ts`);
  expect(source).toMatch(/onPullDownRefresh\(\)/);
  expect(source).toMatch(/wx\.stopPullDownRefresh\(\)/);
});

test('every tappable view gives press feedback (hover-class), unless it only wraps a Vant button', () => {
  const bare: string[] = [];
  for (const file of wxmlFiles) {
    const wxml = read(file);
    for (const match of wxml.matchAll(/<view\b[^>]*\bbindtap=[^>]*>/gs)) {
      const tag = match[0];
      const after = wxml.slice((match.index ?? 0) + tag.length).trimStart();
      if (!/hover-class=/.test(tag) && !after.startsWith('<van-button')) bare.push(`${file}: ${tag.replace(/\s+/g, ' ').slice(0, 80)}`);
    }
  }
  expect(bare).toEqual([]);
});

test('the tab bar has an icon and a selected icon for every tab (PNG under 40 KB), and its text reads at 4.5:1', () => {
  for (const tab of app.tabBar.list) {
    for (const icon of [tab.iconPath, tab.selectedIconPath]) {
      expect(icon).toMatch(/\.png$/);
      const file = path.join(MINIPROGRAM, icon!);
      expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
      expect(fs.statSync(file).size).toBeLessThan(40 * 1024);
    }
  }
  expect([app.tabBar.color, app.tabBar.selectedColor]).toEqual(['#6b6c6e', '#06813f']);
});

test('dialogs colour their confirm button by what it does: red only to leave, cancel, disband or delete the account', () => {
  const dialogs = wxmlFiles.flatMap((file) => [...read(file).matchAll(/<van-dialog\b[^>]*>/gs)].map((m) => ({ file, tag: m[0] })));
  expect(dialogs.length).toBeGreaterThan(4);
  for (const { file, tag } of dialogs) {
    const color = /confirm-button-color="([^"]+)"/.exec(tag)?.[1];
    const text = /confirm-button-text="([^"]+)"/.exec(tag)?.[1] ?? '';
    expect({ file, text, color }).toEqual({ file, text, color: /退出|取消|解散|注销/.test(text) ? '#d0021b' : '#06813f' });
  }
});

test('the points ledger reloads its first page on pull-down', async () => {
  let balance = 10;
  const server = fakeServer({ 'GET /me/points?limit=20': () => ok({ balance, entries: [], nextCursor: null }) });
  const page = renderPage('pages/points/index');
  pageMethods<{ onLoad(): void }>(page).onLoad();
  await settle();
  balance = 30;
  await pageMethods<{ onPullDownRefresh(): Promise<void> }>(page).onPullDownRefresh();
  await settle();
  expect(server.requests.map((r) => r.path)).toEqual(['/me/points?limit=20', '/me/points?limit=20']);
  expect(textOf(page, '.balance__value')).toBe('30');
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
});

test('app.json leaves "style" off v2: Vant Weapp asks for it (v2 restyles the built-in button Vant draws on)', () => {
  expect((app as unknown as { style?: string }).style).toBeUndefined();
});
