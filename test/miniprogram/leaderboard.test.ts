import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { Leaderboard } from '../../miniprogram/services/api-types';
import { NETWORK_DOWN, fakeServer, ok } from './helpers/fake-server';
import { cohort } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, tap, textOf, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

beforeEach(() => storage.set(TOKEN_KEY, 'token-1'));

const member = (id: number, nickname: string) => ({ id, nickname, avatarUrl: null });
const board = (by: Leaderboard['by'], values: number[], me: Leaderboard['me']): Leaderboard => ({
  by,
  items: values.map((value, i) => ({ rank: i + 1, member: member(100 + i, `学员${100 + i}`), value })),
  me,
});

async function open(query: Record<string, string> = { id: '3' }): Promise<RenderedPage> {
  const page = renderPage('pages/cohort/leaderboard');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad(query);
  await settle();
  return page;
}

test('points first: the top rows with medals, and my own row kept at the bottom with my rank beyond the top 50', async () => {
  const server = fakeServer({
    'GET /cohorts/3/leaderboard?by=points': () => ok(board('points', [230, 220, 220, 180], { rank: 53, member: member(7, '小明'), value: 40 })),
    'GET /cohorts/3/leaderboard?by=streak': () => ok(board('streak', [8, 8], { rank: 2, member: member(101, '学员101'), value: 8 })),
  });
  const page = await open();

  expect(page.querySelectorAll('.row__rank').slice(0, 4).map(visibleText)).toEqual(['1', '2', '3', '4']);
  expect(page.querySelectorAll('.rank--1')).toHaveLength(1);
  expect(visibleText(page.querySelectorAll('.board .row')[0])).toBe('1学学员100230 分');
  expect(visibleText(find(page, '.mine'))).toBe('53小我40 分');

  // Streak: the same page, the other tab; my row in the top 50 is marked there too.
  expect(page.querySelectorAll('.tab').map(visibleText)).toEqual(['积分', '连续打卡', '获赞']);
  page.querySelectorAll('.tab')[1].dispatchEvent('tap');
  await settle();
  expect(textOf(page, '.tab--active')).toBe('连续打卡');
  expect(server.requests.map((r) => r.path)).toEqual(['/cohorts/3/leaderboard?by=points', '/cohorts/3/leaderboard?by=streak']);
  expect(page.querySelectorAll('.board .row').map(visibleText)).toEqual(['1学学员1008 天', '2学学员101（我）8 天']);
  expect(page.querySelectorAll('.board .row--mine')).toHaveLength(1);
  expect(textOf(page, '.hint')).toContain('连续打卡天数');
});

test('not on the board yet says so; an empty board invites a check-in; a failed load offers a reload', async () => {
  let down = true;
  fakeServer({
    'GET /cohorts/3/leaderboard?by=likes': () => (down ? NETWORK_DOWN : ok(board('likes', [], { rank: null, member: member(7, '小明'), value: 0 }))),
  });
  const page = await open({ id: '3', by: 'likes' });
  expect(textOf(page, '.load-error')).toContain('网络');

  down = false;
  tap(page, '.reload');
  await settle();
  expect(textOf(page, '.no-rows')).toBe('还没有人上榜，今天打卡就有机会');
  expect(visibleText(find(page, '.mine'))).toBe('未上榜小我0 赞');
});

test('the cohort page links to the leaderboard', async () => {
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true })) });
  const page = renderPage('pages/cohort/index');
  pageMethods<{ onLoad(q: Record<string, string>): void; onShow(): void }>(page).onLoad({ id: '3' });
  pageMethods<{ onShow(): void }>(page).onShow?.();
  await settle();
  tap(page, '.go-leaderboard');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/cohort/leaderboard?id=3' });
});
