import { apiError, ok } from '../../miniprogram/helpers/fake-server';
import { tap } from '../../miniprogram/helpers/render';
import type { Cohort } from '../../../miniprogram/services/api-types';
import { cohort, finishedSpeaking, groupQr, inviteCode, memberOffer, speaking, subscriptions, todaysAnnouncements, watercolor } from '../support/fixtures';
import { inviteStore } from '../../../miniprogram/stores/invite';
import { find } from '../../miniprogram/helpers/render';
import { offline, pending, screens } from '../support/scene';

const show = (c: Cohort) => ({ [`GET /cohorts/${c.id}`]: () => ok(c) });

screens({
  name: 'cohort',
  page: 'pages/cohort/index',
  title: '打卡期详情',
  role: 'member',
  states: [
    { name: 'joined', caption: '已加入的 21 天打卡期：公告、今日主题、规则、我的打卡，「去打卡」固定在底部', query: { id: '3' }, server: show(speaking()), fullPage: true },
    { name: 'announcements', caption: '今日公告：老师在控制台排好的「早安」「干货」到点出现在打卡期页上方，最新的在前', query: { id: '3' },
      server: { ...show(speaking()), 'GET /cohorts/3/today/announcements': () => ok({ items: todaysAnnouncements() }) } },
    { name: 'join-group', caption: '已加入：「加入打卡群」长按二维码入群，「邀请好友」生成海报', query: { id: '3' },
      server: { ...show(cohort({ groupQr: groupQr() })), 'GET /me/invite-code?cohortId=3&source=card': () => ok(inviteCode()) },
      fullPage: true },
    { name: 'group-qr-expired', caption: '群二维码已过期：不再显示，说明等老师更新', query: { id: '3' },
      server: show(cohort({ groupQr: groupQr('expired', '2026-11-12T02:00:00.000Z') })) },
    { name: 'invited', caption: '扫好友的海报进来：「安安 邀请你一起打卡」，还没加入', query: { id: '5' },
      before: () => { inviteStore.arrival = { cohortId: 5, inviter: { id: 12, nickname: '安安', avatarUrl: null }, attributed: true }; },
      server: { ...show(watercolor()), 'GET /me/subscriptions': () => ok(subscriptions()) } },
    { name: 'moments-preview', caption: '朋友圈单页模式：不能登录，只显示标题，点「前往小程序」进入', query: { id: '3', inv: 'Ab3dEf9H', t: '21天英语口语打卡·第3期' },
      wx: { getEnterOptionsSync: () => ({ scene: 1154, query: {} }) } },
    { name: 'operator-qr-warning', caption: '运营看报名中的打卡期：群二维码明天过期的提醒', role: 'operator', query: { id: '5' },
      server: show(cohort({ ...watercolor(), groupQr: groupQr('expiring', '2026-11-14T02:00:00.000Z'), groupBound: true })) },
    { name: 'checked-in', caption: '今天已打卡：底部显示「今日已打卡 ✓」', query: { id: '3' },
      server: show(cohort({ me: { enrolled: true, checkedInToday: true, todayCheckinId: 131, streak: { current: 4, longest: 4, total: 7 }, missedDays: 1, makeUpsLeft: 2 } })) },
    { name: 'recruiting', caption: '报名中，还没加入：加入时顺便开启提醒', query: { id: '5' }, server: { ...show(watercolor()), 'GET /me/subscriptions': () => ok(subscriptions()) } },
    { name: 'leave-sheet', caption: '「更多」里的退出本期', query: { id: '3' }, server: show(speaking()), act: (page) => tap(page, '.actions__more') },
    { name: 'leave-dialog', caption: '退出前确认：连续天数中断、不再提醒、积分保留', query: { id: '3' }, server: show(speaking()),
      act: async (page) => { tap(page, '.actions__more'); await new Promise((r) => setTimeout(r, 150)); find(find(page, '.leave-sheet'), '.leave-action').dispatchEvent('tap'); } },
    {
      name: 'converting', caption: '本期已结束，续报优惠进行中', query: { id: '2' },
      server: { ...show(finishedSpeaking()), 'GET /me/offers': () => ok({ items: [memberOffer()] }) },
    },
    { name: 'teacher', caption: '老师看自己带的打卡期：绑定打卡群', role: 'teacher', query: { id: '3' }, server: show(cohort({ groupBound: false, enrolled: false })) },
    { name: 'loading', caption: '加载中', query: { id: '3' }, server: { 'GET /cohorts/3': pending } },
    { name: 'offline', caption: '断网：说明原因并可重新加载', query: { id: '3' }, server: { 'GET /cohorts/3': offline } },
    { name: 'not-found', caption: '打卡期不存在或已删除', query: { id: '99' }, server: { 'GET /cohorts/99': () => apiError(404, 'NOT_FOUND', 'Cohort not found') } },
  ],
});
