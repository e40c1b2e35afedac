import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { fakeServer, ok } from './helpers/fake-server';
import { pageMethods, renderPage, settle, textOf, visibleText } from './helpers/render';
import { storage } from './helpers/storage';

beforeEach(() => storage.set(TOKEN_KEY, 'token-1'));

test('the points page shows the balance and the ledger with Chinese reasons, paged', async () => {
  const entry = (id: number, delta: number, reason: string) => ({
    id, delta, reason, refType: null, refId: null, note: null, createdAt: '2026-11-20T01:30:00.000Z',
  });
  const server = fakeServer({
    'GET /me/points?limit=20': () => ok({ balance: 120, entries: [entry(3, 10, 'group_bonus'), entry(2, -20, 'make_up_fee')], nextCursor: '2' }),
    'GET /me/points?limit=20&before=2': () => ok({ balance: 120, entries: [entry(1, 10, 'checkin')], nextCursor: null }),
  });
  const page = renderPage('pages/points/index');
  pageMethods<{ onLoad(): void }>(page).onLoad();
  await settle();

  expect(textOf(page, '.balance__value')).toBe('120');
  expect(page.querySelectorAll('.entry').map(visibleText)).toEqual(['群内打卡加倍11月20日 09:30+10', '补卡11月20日 09:30-20']);

  pageMethods<{ onReachBottom(): void }>(page).onReachBottom();
  await settle();
  expect(server.requests).toHaveLength(2);
  expect(page.querySelectorAll('.entry').map(visibleText)).toEqual([
    '群内打卡加倍11月20日 09:30+10',
    '补卡11月20日 09:30-20',
    '打卡11月20日 09:30+10',
  ]);
});
