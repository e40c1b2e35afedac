import { apiError, ok } from '../../miniprogram/helpers/fake-server';
import { find, settle, settleAnimations, tap, typeInto, type RenderedPage } from '../../miniprogram/helpers/render';
import { checkin, cohort as cohortOf, speaking, subscriptions } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';
import { groupProofStore } from '../../../miniprogram/stores/group-proof';

const cohort = { 'GET /cohorts/3': () => ok(speaking()) };
const LONG = '今天的主题是介绍早餐。'.repeat(8) + "\n\nI usually have toast with butter, a sunny-side up egg and a glass of warm milk. On weekends my mother makes congee with pickles, which reminds me of my hometown. ".repeat(3);

/** Two photos already uploaded (wx.chooseMedia answered, the uploads done). */
const withPhotos = {
  wx: {
    chooseMedia: (options: { success: (res: unknown) => void }) =>
      options.success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/breakfast.jpg' }, { tempFilePath: 'wxfile://tmp/notebook.jpg' }] }),
  },
  uploads: { 'POST /uploads/images': () => ok({ key: 'k', url: '/uploads/images/x.jpg', contentType: 'image/jpeg', bytes: 1000 }) },
};

/** A member who has not agreed to the privacy guide yet (WeChat's getPrivacySetting). */
const notAgreed = {
  getPrivacySetting: (options: { success: (res: unknown) => void }) =>
    options.success({ needAuthorization: true, privacyContractName: '《打卡积分小程序隐私保护指引》', errMsg: 'getPrivacySetting:ok' }),
};

const result = {
  checkin: checkin(),
  awards: [{ reason: 'checkin', points: 10 }, { reason: 'group_bonus', points: 10 }],
  streak: { current: 4, longest: 4, total: 7 },
  milestones: { streakDays: null, completed: false },
  balance: 285,
};

/** wx.getRecorderManager and the microphone permission, as WeChat answers them. */
const recorder = () => {
  const handlers: Record<string, (arg?: unknown) => void> = {};
  return {
    onStart: (f: () => void) => (handlers.start = f), onStop: (f: (res?: unknown) => void) => (handlers.stop = f),
    onError: (f: (e?: unknown) => void) => (handlers.error = f), start: () => handlers.start?.(),
    stop: () => handlers.stop?.({ tempFilePath: 'wxfile://tmp/speech.mp3', duration: 64000, fileSize: 390000 }),
  };
};
const microphone = (allowed: boolean) => {
  const manager = recorder(); // WeChat has one recorder manager: every call answers the same one
  return {
  getRecorderManager: () => manager,
  authorize: (options: { success?: () => void; fail?: () => void }) => (allowed ? options.success?.() : options.fail?.()),
  openSetting: () => undefined,
  };
};
const voiceOnly = { 'GET /cohorts/3': () => ok(cohortOf({ checkinKinds: ['voice'], maxAudioSeconds: 120 })) };
/** Starts a recording and stops it a moment later, as a member would. */
async function record(page: RenderedPage): Promise<void> {
  tap(find(page, '.voice-recorder'), '.recorder__start');
  await settle();
  tap(find(page, '.voice-recorder'), '.recorder__stop');
  await settleAnimations();
}

/** The recorder component, to show a later moment of a recording (37 s in, 60 % uploaded). */
const recorderOf = (page: RenderedPage) => find(page, '.voice-recorder') as unknown as { instance: { setData(data: object): void } };

screens({
  name: 'cohort-checkin',
  page: 'pages/cohort/checkin',
  title: '今日打卡',
  role: 'member',
  states: [
    { name: 'compose', caption: '写打卡：今日主题、文字、照片', query: { id: '3' }, server: cohort, ...withPhotos,
      act: (page) => { typeInto(page, '.text-field', "Today I had toast and an egg for breakfast. It's quick and healthy!"); tap(page, '.photo__add'); } },
    { name: 'privacy-consent', caption: '还没同意隐私保护指引时添加照片：先弹出隐私保护提示（可阅读指引、同意或不同意）', query: { id: '3' }, server: cohort,
      wx: notAgreed, act: (page) => tap(page, '.photo__add') },
    { name: 'group', caption: '从本期群的卡片进入：群内打卡双倍积分', query: { id: '3' }, server: cohort,
      before: () => groupProofStore.hold({ encryptedData: 'e', iv: 'i' }) },
    { name: 'long-text', caption: '长文字（接近 2000 字上限）', query: { id: '3' }, server: cohort, fullPage: true,
      act: (page) => typeInto(page, '.text-field', LONG) },
    { name: 'done', caption: '打卡成功：积分、连续天数、订阅提醒', query: { id: '3' },
      server: { ...cohort, 'POST /cohorts/3/checkins': () => ok(result), 'GET /me/subscriptions': () => ok({ templates: [
        { key: 'reminder', templateId: 'tmpl-reminder', sendsLeft: 0 }, { key: 'review', templateId: 'tmpl-review', sendsLeft: 0 },
        { key: 'offer', templateId: 'tmpl-offer', sendsLeft: 0 }, { key: 'invitation', templateId: 'tmpl-invitation', sendsLeft: 0 }] }) },
      act: (page) => { typeInto(page, '.text-field', '今天读了一段新闻'); tap(page, '.submit-button'); } },
    { name: 'done-outside-group', caption: '在群外打卡成功：「分享到打卡群再得 10 分」、生成今日日签', query: { id: '3' }, fullPage: true,
      server: { ...cohort, 'POST /cohorts/3/checkins': () => ok({ ...result, checkin: checkin({ viaGroup: false }), awards: [{ reason: 'checkin', points: 10 }], balance: 275 }),
        'GET /me/subscriptions': () => ok(subscriptions({ reminder: 2, review: 1 })) },
      act: (page) => { typeInto(page, '.text-field', '今天读了一段新闻'); tap(page, '.submit-button'); } },
    { name: 'proof-dialog', caption: '群证明未通过：按普通积分打卡或先不打卡', query: { id: '3' },
      before: () => groupProofStore.hold({ encryptedData: 'e', iv: 'i' }),
      server: { ...cohort, 'POST /cohorts/3/checkins': () => apiError(409, 'GROUP_MISMATCH', 'other group') },
      act: (page) => { typeInto(page, '.text-field', '今天读了一段新闻'); tap(page, '.submit-button'); } },
    { name: 'submit-offline', caption: '提交时断网：文字保留，可重试', query: { id: '3' },
      server: { ...cohort, 'POST /cohorts/3/checkins': offline },
      act: (page) => { typeInto(page, '.text-field', '今天读了一段新闻，学到了三个新单词。'); tap(page, '.submit-button'); } },
    { name: 'already', caption: '今天已经打过卡：一打开就说明，不用写完才知道', query: { id: '3' },
      server: { 'GET /cohorts/3': () => ok(cohortOf({ me: { enrolled: true, checkedInToday: true, todayCheckinId: 131, streak: { current: 4, longest: 4, total: 7 }, missedDays: 1, makeUpsLeft: 2 } })) } },
    { name: 'draft', caption: '上次没提交的文字作为草稿恢复', query: { id: '3' }, server: cohort,
      before: () => wx.setStorageSync('checkin-draft:3:2026-11-20', "Today I had toast and an egg. It's quick and healthy, and") },
    { name: 'done-last-day', caption: '最后一天打卡成功：全勤庆祝，领取结业证书，订阅结营后的续报优惠和下一期邀请', query: { id: '3' }, fullPage: true,
      server: { 'GET /cohorts/3': () => ok(cohortOf({ dayIndex: 21, todayPrompt: '总结这 21 天的收获' })), 'POST /cohorts/3/checkins': () => ok({ ...result, awards: [...result.awards, { reason: 'completion_bonus', points: 100 }], streak: { current: 14, longest: 14, total: 21 }, milestones: { streakDays: null, completed: true } }), 'GET /me/subscriptions': () => ok(subscriptions()) },
      act: (page) => { typeInto(page, '.text-field', '21 天坚持下来了！'); tap(page, '.submit-button'); } },
    { name: 'voice', caption: '口语营只收录音：点一下开始录（最长 2 分钟）', query: { id: '3' }, server: voiceOnly, wx: microphone(true) },
    { name: 'voice-recording', caption: '录音中：显示已录时长，可随时停止', query: { id: '3' }, server: voiceOnly, wx: microphone(true),
      act: async (page) => { tap(find(page, '.voice-recorder'), '.recorder__start'); await settle(); recorderOf(page).instance.setData({ elapsed: 37, elapsedLabel: '37″' }); } },
    { name: 'voice-uploading', caption: '录好了：可以试听、重录；上传进度', query: { id: '3' }, server: voiceOnly, wx: microphone(true),
      uploads: { 'POST /uploads/audio': pending },
      act: async (page) => { await record(page); recorderOf(page).instance.setData({ progress: 60 }); } },
    { name: 'voice-ready', caption: '录音已上传，可以提交（不写文字也行）', query: { id: '3' }, server: voiceOnly, wx: microphone(true),
      uploads: { 'POST /uploads/audio': () => ok({ key: 'k', url: '/uploads/audio/2026/11/s.mp3', contentType: 'audio/mpeg', bytes: 390000, durationSeconds: 64 }) },
      act: record },
    { name: 'voice-upload-failed', caption: '录音上传失败：可重试、重录或删除', query: { id: '3' }, server: voiceOnly, wx: microphone(true),
      uploads: { 'POST /uploads/audio': offline },
      act: record },
    { name: 'mic-refused', caption: '没有麦克风权限：说明原因，去设置里打开', query: { id: '3' }, server: voiceOnly, wx: microphone(false),
      act: (page) => tap(find(page, '.voice-recorder'), '.recorder__start') },
    { name: 'photo-only', caption: '水彩营只收照片：不用写字', query: { id: '3' },
      server: { 'GET /cohorts/3': () => ok(cohortOf({ title: '14天水彩入门', checkinKinds: ['photo'], todayPrompt: '画一片叶子' })) } },
    { name: 'done-streak-7', caption: '连续打卡 7 天：里程碑庆祝', query: { id: '3' },
      server: { ...cohort, 'POST /cohorts/3/checkins': () => ok({ ...result, awards: [...result.awards, { reason: 'streak_bonus', points: 30 }], streak: { current: 7, longest: 7, total: 7 }, milestones: { streakDays: 7, completed: false } }), 'GET /me/subscriptions': () => ok(subscriptions()) },
      act: (page) => { typeInto(page, '.text-field', '连续第 7 天！'); tap(page, '.submit-button'); } },
    { name: 'make-up', caption: '补卡：花费积分，只得基础积分', query: { id: '3', makeUpDate: '2026-11-16' }, server: cohort },
    { name: 'loading', caption: '加载中', query: { id: '3' }, server: { 'GET /cohorts/3': pending } },
    { name: 'offline', caption: '加载时断网', query: { id: '3' }, server: { 'GET /cohorts/3': offline } },
  ],
});
