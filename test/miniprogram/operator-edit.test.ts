import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { cohortsStore } from '../../miniprogram/stores/cohorts';
import { apiError, fakeServer, ok } from './helpers/fake-server';
import { cohort } from './helpers/fixtures';
import { pageMethods, renderPage, settle, settleAnimations, tap, textOf, typeInto, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';
import { inChromium, lowContrastText } from './helpers/browser';

const recruiting = cohort({ id: 5, status: 'recruiting', dayIndex: null, title: '14天水彩入门', theme: '水彩', durationDays: 7, announcement: null, prompts: [{ dayIndex: 1, text: '准备画具' }] });
const running = cohort({ id: 3, status: 'running', announcement: '周六晚上直播' });

async function openEdit(query: Record<string, string>): Promise<RenderedPage> {
  const page = renderPage('packageOperator/pages/edit/index');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad(query);
  await settle();
  return page;
}

beforeEach(() => storage.set(TOKEN_KEY, 'token-op'));

test('editing a cohort sends only what changed with PUT, keeps the store in step and goes back', async () => {
  const server = fakeServer({
    'GET /cohorts/5': () => ok(recruiting),
    'PUT /cohorts/5': ({ body }) => ok({ ...recruiting, ...(body as object), prompts: [{ dayIndex: 1, text: '准备画具' }, { dayIndex: 2, text: '画一个苹果' }] }),
  });
  const page = await openEdit({ id: '5' });
  expect(textOf(page, '.save')).toBe('没有改动');
  expect(page.querySelectorAll('.prompt-field')).toHaveLength(7);

  typeInto(page, '.title-field', '14天水彩入门·第二期');
  page.querySelectorAll('.prompt-field')[1].dispatchEvent('input', { detail: { value: '画一个苹果' } });
  await settle();
  expect(textOf(page, '.save')).toBe('保存修改');
  tap(page, '.save');
  await settleAnimations();

  expect(server.requests.at(-1)).toEqual({
    method: 'PUT', path: '/cohorts/5', authorization: 'Bearer token-op',
    body: { title: '14天水彩入门·第二期', prompts: ['准备画具', '画一个苹果'] },
  });
  expect(cohortsStore.byId(5)?.title).toBe('14天水彩入门·第二期');
  expect(wx.navigateBack).toHaveBeenCalled();
});

test("a cohort that has started says so, and the server's refusal is shown on the page with the edit kept", async () => {
  fakeServer({
    'GET /cohorts/3': () => ok(running),
    'PUT /cohorts/3': () => apiError(409, 'COHORT_ALREADY_STARTED', 'A cohort can be edited only before day 1; this one is running.'),
  });
  const page = await openEdit({ id: '3' });
  expect(textOf(page, '.notice')).toContain('本期进行中');

  typeInto(page, '.welcome-field', '新的欢迎语');
  await settle();
  tap(page, '.save');
  await settleAnimations();

  expect(textOf(page, '.refusal')).toBe('没有保存本期已开始，不能再修改：服务器目前只允许在开始前修改这些内容。');
  expect((page.instance.data as { welcome: string }).welcome).toBe('新的欢迎语');
  expect(wx.navigateBack).not.toHaveBeenCalled();
});

test('the announcement screen edits only the announcement; clearing it takes it down', async () => {
  const server = fakeServer({ 'GET /cohorts/3': () => ok(running), 'PUT /cohorts/3': () => ok({ ...running, announcement: null }) });
  const page = await openEdit({ id: '3', only: 'announcement' });
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '编辑公告' });
  expect(page.querySelector('.title-field')).toBeUndefined();
  expect((page.instance.data as { announcement: string }).announcement).toBe('周六晚上直播');
  expect(visibleText(page)).toContain('清空后保存即撤下公告');

  typeInto(page, '.announcement-field', '');
  await settle();
  expect(textOf(page, '.save')).toBe('发布公告');
  tap(page, '.save');
  await settleAnimations();
  expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/cohorts/3', body: { announcement: null } });
});

test('empty fields show their placeholders at 4.5:1 or better (WeChat grey is about 3.9:1)', async () => {
  fakeServer({ 'GET /cohorts/5': () => ok(recruiting) });
  const page = await openEdit({ id: '5' });
  const tab = await inChromium(page, 'packageOperator/pages/edit/index');
  expect(await lowContrastText(tab)).toEqual([]);
});
