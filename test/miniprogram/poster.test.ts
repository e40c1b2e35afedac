import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { memberStore } from '../../miniprogram/stores/member';
import { ALBUM_EXPLANATION, saveToAlbum } from '../../miniprogram/packageShare/utils/album';
import { drawPoster, POSTER_SIZE, wrapText, type PosterContext, type PosterImages } from '../../miniprogram/packageShare/utils/poster';
import { certificateCard, dailyCard, FOOTER_WITHOUT_CODE, invitationPoster } from '../../miniprogram/packageShare/utils/poster-content';
import { recordingCanvases, recordingContext, RecordedImage, type DrawOp } from './helpers/canvas';
import { apiError, fakeServer, ok } from './helpers/fake-server';
import { cohort, xiaoming } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, textOf, toastText } from './helpers/render';
import { storage } from './helpers/storage';

const texts = (ops: DrawOp[]) => ops.filter(([op]) => op === 'fillText').map(([, text]) => text);
const images = (ops: DrawOp[]) =>
  ops.filter(([op]) => op === 'drawImage').map(([, image, ...box]) => [(image as RecordedImage).src, ...box]);

function image(src: string): RecordedImage {
  const recorded = new RecordedImage(new Set());
  recorded.src = src;
  return recorded;
}

const certificate = {
  cohortId: 3, cohortTitle: '21天英语口语', theme: '英语口语', nickname: '小明', avatarUrl: null, durationDays: 21, daysCheckedIn: 21,
  longestStreak: 14, pointsEarned: 420, startDate: '2026-11-01', completedOn: '2026-11-21',
};

describe('drawing a poster (a recorded canvas context)', () => {
  const me = { enrolled: true, checkedInToday: true, todayCheckinId: 9, streak: { current: 3, longest: 3, total: 6 }, missedDays: 0, makeUpsLeft: 2 };
  const content = invitationPoster(cohort({ title: '21天英语口语', theme: '英语口语', durationDays: 21, memberCount: 86, welcomeMessage: '每天开口一分钟', me }), '小明');

  function draw(withImages: PosterImages) {
    const ops: DrawOp[] = [];
    drawPoster(recordingContext(ops) as unknown as PosterContext, content, withImages);
    return ops;
  }

  it('puts the cover, avatar and code where they belong and writes the title, the inviter, the numbers and what to do', () => {
    const ops = draw({ cover: image('cover.jpg'), avatar: image('me.jpg'), code: image('code.png') });
    const { width, height } = POSTER_SIZE;
    expect(images(ops)).toEqual([
      ['cover.jpg', 0, 0, width, 150],
      ['me.jpg', 20, 122, 56, 56],
      ['code.png', width - 20 - 84, height - 20 - 84, 84, 84],
    ]);
    expect(texts(ops)).toEqual([
      '英语口语 · 第3天 / 共21天', '21天英语口语', '小明', '邀请你一起打卡',
      '21天', '打卡周期', '86人', '一起打卡', '3天', '我已连续打卡',
      '每天开口一分钟', '长按识别小程序码', '和我一起打卡',
    ]);
    // The avatar is clipped to a circle (saved and restored around the clip).
    const clip = ops.findIndex(([op]) => op === 'clip');
    expect(ops.slice(clip - 4, clip + 2).map(([op]) => op)).toEqual(['save', 'beginPath', 'arc', 'closePath', 'clip', 'drawImage']);
    expect(ops.filter(([op]) => op === 'save')).toHaveLength(ops.filter(([op]) => op === 'restore').length);
  });

  it('without images draws the coloured band and the initial, and without a code puts the footer on the last line', () => {
    const ops = draw({});
    expect(images(ops)).toEqual([]);
    expect(ops).toContainEqual(['fillRect', 0, 0, POSTER_SIZE.width, 150]);
    expect(texts(ops)).toContain('小');
    const last = ops.filter(([op]) => op === 'fillText').at(-1);
    expect(last).toEqual(['fillText', '长按识别小程序码\n和我一起打卡', POSTER_SIZE.width / 2, POSTER_SIZE.height - 28]);
  });
});

describe('what each poster says', () => {
  it('the daily card: today, the day of the cohort, the streak and today\'s prompt', () => {
    const me = { enrolled: true, checkedInToday: true, todayCheckinId: 9, streak: { current: 3, longest: 3, total: 6 }, missedDays: 1, makeUpsLeft: 2 };
    const daily = dailyCard(cohort({ dayIndex: 8, durationDays: 21, todayPrompt: '介绍你的早餐', me }), '小明', '2026-11-20');
    expect(daily).toMatchObject({
      kind: 'daily', eyebrow: '日签 · 11月20日 · 第8天', quote: '今日主题：介绍你的早餐', byline: '今天的打卡完成了',
      stats: [{ value: '第8天', label: '共21天' }, { value: '3天', label: '连续打卡' }, { value: '6天', label: '累计打卡' }],
    });
  });

  it('the certificate: name, cohort, days, longest streak, points and the dates', () => {
    expect(certificateCard(certificate)).toMatchObject({
      kind: 'certificate', heading: '21天英语口语', nickname: '小明', byline: '完成全部 21 天打卡',
      stats: [{ value: '21天', label: '打卡天数' }, { value: '14天', label: '最长连续' }, { value: '420', label: '获得积分' }],
      quote: '2026年11月1日至2026年11月21日，坚持每天打卡，完成全部 21 天，特发此证。',
    });
  });

  it('wraps Chinese text to the width, keeps line breaks and ends a cut text with …', () => {
    expect(wrapText('一二三四五六七八九十', 50, 10, 3)).toEqual(['一二三四五', '六七八九十']);
    expect(wrapText('第一行\n第二行', 200, 10, 3)).toEqual(['第一行', '第二行']);
    expect(wrapText('一二三四五六七八九十一二三四五', 50, 10, 2)).toEqual(['一二三四五', '六七八九…']);
    // Latin letters are narrower than Chinese characters.
    expect(wrapText('abcdefghij', 50, 10, 1)).toEqual(['abcdefg…']);
  });
});

describe('saving to the album (authorize -> explain -> openSetting)', () => {
  type Stubs = Partial<Record<'getSetting' | 'authorize' | 'showModal' | 'openSetting' | 'saveImageToPhotosAlbum', jest.Mock>>;
  function stubAlbum({ setting, authorize, modal, settings, save }: {
    setting?: boolean; authorize?: boolean; modal?: boolean; settings?: boolean; save?: string[];
  }): Required<Stubs> {
    const saves = [...(save ?? ['ok'])];
    const stubs = {
      getSetting: jest.fn((o: WechatMiniprogram.GetSettingOption) => o.success?.({ authSetting: setting === undefined ? {} : { 'scope.writePhotosAlbum': setting } } as never)),
      authorize: jest.fn((o: WechatMiniprogram.AuthorizeOption) => (authorize ? o.success?.({ errMsg: 'authorize:ok' }) : o.fail?.({ errMsg: 'authorize:fail auth deny' }))),
      showModal: jest.fn((o: WechatMiniprogram.ShowModalOption) => o.success?.({ confirm: !!modal, cancel: !modal, errMsg: 'showModal:ok' } as never)),
      openSetting: jest.fn((o: WechatMiniprogram.OpenSettingOption) => o.success?.({ authSetting: { 'scope.writePhotosAlbum': !!settings } } as never)),
      saveImageToPhotosAlbum: jest.fn((o: WechatMiniprogram.SaveImageToPhotosAlbumOption) => {
        const outcome = saves.shift() ?? 'ok';
        if (outcome === 'ok') o.success?.({ errMsg: 'saveImageToPhotosAlbum:ok' });
        else o.fail?.({ errMsg: `saveImageToPhotosAlbum:fail ${outcome}` });
      }),
    };
    Object.assign(wx, stubs);
    return stubs;
  }

  it('saves straight away when the album is already allowed', async () => {
    const wxs = stubAlbum({ setting: true });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('saved');
    expect(wxs.authorize).not.toHaveBeenCalled();
    expect(wxs.saveImageToPhotosAlbum).toHaveBeenCalledWith(expect.objectContaining({ filePath: '/tmp/poster.png' }));
  });

  it('asks the first time (wx.authorize) and saves when allowed', async () => {
    const wxs = stubAlbum({ setting: undefined, authorize: true });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('saved');
    expect(wxs.authorize).toHaveBeenCalledWith(expect.objectContaining({ scope: 'scope.writePhotosAlbum' }));
    expect(wxs.showModal).not.toHaveBeenCalled();
  });

  it('refused: explains why, opens the settings on "去设置", and saves once it is turned on there', async () => {
    const wxs = stubAlbum({ setting: undefined, authorize: false, modal: true, settings: true });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('saved');
    expect(wxs.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: ALBUM_EXPLANATION.title, confirmText: '去设置' }));
    expect(wxs.openSetting).toHaveBeenCalled();
    expect(wxs.saveImageToPhotosAlbum).toHaveBeenCalledTimes(1);
  });

  it('refused before: explains at once; not turned on in the settings, nothing is saved', async () => {
    const wxs = stubAlbum({ setting: false, modal: true, settings: false });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('denied');
    expect(wxs.authorize).not.toHaveBeenCalled();
    expect(wxs.saveImageToPhotosAlbum).not.toHaveBeenCalled();
  });

  it('"不用了" on the explanation leaves the settings closed', async () => {
    const wxs = stubAlbum({ setting: false, modal: false });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('denied');
    expect(wxs.openSetting).not.toHaveBeenCalled();
  });

  it('turned off behind our back (the save itself is refused): explains once more and retries', async () => {
    const wxs = stubAlbum({ setting: true, modal: true, settings: true, save: ['auth deny', 'ok'] });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('saved');
    expect(wxs.saveImageToPhotosAlbum).toHaveBeenCalledTimes(2);
  });

  it('tells a cancelled save from a failed one', async () => {
    stubAlbum({ setting: true, save: ['cancel'] });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('cancelled');
    stubAlbum({ setting: true, save: ['disk full'] });
    await expect(saveToAlbum('/tmp/poster.png')).resolves.toBe('failed');
  });
});

describe('the poster page', () => {
  const drawings = new Map<string, DrawOp[]>();
  const posterCode = { code: 'Ab3dEf9H', cohortId: 3, scene: 'i=Ab3dEf9H', page: 'pages/cohort/index', imageUrl: '/uploads/wxacode/2026/11/code.png' };

  async function openPoster(kind: string, routes: Parameters<typeof fakeServer>[0]) {
    storage.set(TOKEN_KEY, 'token-1');
    memberStore.setMember(xiaoming);
    Object.assign(wx, recordingCanvases({ size: POSTER_SIZE, drawings }));
    const server = fakeServer({ 'GET /me/invite-code?cohortId=3&source=card': () => apiError(503, 'DATABASE_UNAVAILABLE', 'later'), ...routes });
    const page = renderPage('packageShare/pages/poster/index');
    pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad({ id: '3', kind });
    for (let i = 0; i < 3; i++) await settle();
    return { page, server };
  }

  beforeEach(() => drawings.clear());
  afterEach(() => memberStore.logout());

  it('draws my invitation poster with my Mini Program code, and saves it at three times the size', async () => {
    const { page } = await openPoster('poster', {
      'GET /cohorts/3': () => ok(cohort({ title: '21天英语口语' })),
      'GET /cohorts/3/poster-code': () => ok(posterCode),
    });
    const ops = drawings.get('poster') ?? [];
    expect(texts(ops)).toEqual(expect.arrayContaining(['21天英语口语', '小明', '邀请你一起打卡']));
    expect(images(ops).map(([src]) => src)).toEqual(['http://127.0.0.1:3000/uploads/wxacode/2026/11/code.png']);
    expect(textOf(page, '.hint')).toContain('好友长按识别小程序码就能加入');

    const canvasToTempFilePath = jest.fn((o: WechatMiniprogram.CanvasToTempFilePathOption) => o.success?.({ tempFilePath: '/tmp/poster.png', errMsg: 'ok' }));
    const saveImageToPhotosAlbum = jest.fn((o: WechatMiniprogram.SaveImageToPhotosAlbumOption) => o.success?.({ errMsg: 'ok' }));
    Object.assign(wx, {
      canvasToTempFilePath,
      saveImageToPhotosAlbum,
      getSetting: (o: WechatMiniprogram.GetSettingOption) => o.success?.({ authSetting: { 'scope.writePhotosAlbum': true } } as never),
    });
    tap(page, '.save');
    await settleAnimations();
    expect(canvasToTempFilePath).toHaveBeenCalledWith(expect.objectContaining({ destWidth: 900, destHeight: 1440, fileType: 'png', canvas: expect.any(Object) }));
    expect(saveImageToPhotosAlbum).toHaveBeenCalledWith(expect.objectContaining({ filePath: '/tmp/poster.png' }));
    expect(toastText(page)).toBe('已保存到相册');

    // Sharing the image opens WeChat's image sheet.
    const showShareImageMenu = jest.fn();
    Object.assign(wx, { showShareImageMenu });
    tap(page, '.share-image');
    await settle();
    expect(showShareImageMenu).toHaveBeenCalledWith(expect.objectContaining({ path: '/tmp/poster.png' }));
  });

  it('says why WeChat would not make the code, and tries again on request', async () => {
    let calls = 0;
    const { page } = await openPoster('poster', {
      'GET /cohorts/3': () => ok(cohort()),
      'GET /cohorts/3/poster-code': () => (++calls === 1 ? apiError(429, 'WXACODE_RATE_LIMITED', 'later') : ok(posterCode)),
    });
    expect(textOf(page, '.load-error')).toContain('小程序码生成太频繁，请一分钟后再试');
    tap(page, '.reload');
    for (let i = 0; i < 3; i++) await settle();
    expect(page.querySelector('.load-error')).toBeUndefined();
    expect(images(drawings.get('poster') ?? [])).toHaveLength(1);
  });

  it('draws the certificate; after the cohort closed it has no code and says so', async () => {
    const { page } = await openPoster('certificate', {
      'GET /me/cohorts/3/certificate': () => ok(certificate),
      'GET /cohorts/3/poster-code': () => apiError(409, 'COHORT_CLOSED', 'closed'),
    });
    const ops = drawings.get('poster') ?? [];
    expect(texts(ops)).toEqual(expect.arrayContaining(['结业证书', '完成全部 21 天打卡', '420', FOOTER_WITHOUT_CODE]));
    expect(images(ops)).toEqual([]);
    expect(textOf(page, '.hint')).toBe('本期已停止报名，图片上没有小程序码');
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '结业证书' });
  });

  it('before the last day the certificate page says what is missing, with no pointless retry', async () => {
    const { page } = await openPoster('certificate', {
      'GET /me/cohorts/3/certificate': () => apiError(409, 'NOT_COMPLETED', 'not yet'),
      'GET /cohorts/3/poster-code': () => ok(posterCode),
    });
    expect(textOf(page, '.load-error')).toContain('全部打卡完成后才能领取结业证书');
    expect(page.querySelector('.reload')).toBeUndefined();
    expect(find(page, '.load-error')).toBeTruthy();
  });
});
