import { apiError, ok } from '../../miniprogram/helpers/fake-server';
import { tap } from '../../miniprogram/helpers/render';
import type { Cohort } from '../../../miniprogram/services/types';
import { cohort, finishedSpeaking, memberOffer, speaking, subscriptions, watercolor } from '../support/fixtures';
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
