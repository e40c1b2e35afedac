import { apiError, ok } from '../../miniprogram/helpers/fake-server';
import { tap, typeInto } from '../../miniprogram/helpers/render';
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

const result = {
  checkin: checkin(),
  awards: [{ reason: 'checkin', points: 10 }, { reason: 'group_bonus', points: 10 }],
  streak: { current: 4, longest: 4, total: 7 },
  balance: 285,
};

screens({
  name: 'cohort-checkin',
  page: 'pages/cohort/checkin',
  title: '今日打卡',
  role: 'member',
  states: [
    { name: 'compose', caption: '写打卡：今日主题、文字、照片', query: { id: '3' }, server: cohort, ...withPhotos,
      act: (page) => { typeInto(page, '.text-field', "Today I had toast and an egg for breakfast. It's quick and healthy!"); tap(page, '.photo__add'); } },
    { name: 'group', caption: '从本期群的卡片进入：群内打卡双倍积分', query: { id: '3' }, server: cohort,
      before: () => groupProofStore.hold({ encryptedData: 'e', iv: 'i' }) },
    { name: 'long-text', caption: '长文字（接近 2000 字上限）', query: { id: '3' }, server: cohort, fullPage: true,
      act: (page) => typeInto(page, '.text-field', LONG) },
    { name: 'done', caption: '打卡成功：积分、连续天数、订阅提醒', query: { id: '3' },
      server: { ...cohort, 'POST /cohorts/3/checkins': () => ok(result), 'GET /me/subscriptions': () => ok({ templates: [
        { key: 'reminder', templateId: 'tmpl-reminder', sendsLeft: 0 }, { key: 'review', templateId: 'tmpl-review', sendsLeft: 0 },
        { key: 'offer', templateId: 'tmpl-offer', sendsLeft: 0 }, { key: 'invitation', templateId: 'tmpl-invitation', sendsLeft: 0 }] }) },
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
    { name: 'done-last-day', caption: '最后一天打卡成功：可以订阅结营后的续报优惠和下一期邀请', query: { id: '3' },
      server: { 'GET /cohorts/3': () => ok(cohortOf({ dayIndex: 21, todayPrompt: '总结这 21 天的收获' })), 'POST /cohorts/3/checkins': () => ok({ ...result, awards: [...result.awards, { reason: 'completion_bonus', points: 100 }], streak: { current: 14, longest: 14, total: 20 } }), 'GET /me/subscriptions': () => ok(subscriptions()) },
      act: (page) => { typeInto(page, '.text-field', '21 天坚持下来了！'); tap(page, '.submit-button'); } },
    { name: 'make-up', caption: '补卡：花费积分，只得基础积分', query: { id: '3', makeUpDate: '2026-11-16' }, server: cohort },
    { name: 'loading', caption: '加载中', query: { id: '3' }, server: { 'GET /cohorts/3': pending } },
    { name: 'offline', caption: '加载时断网', query: { id: '3' }, server: { 'GET /cohorts/3': offline } },
  ],
});
