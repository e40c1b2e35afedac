import { ok } from '../../miniprogram/helpers/fake-server';
import { checkin, progress, review } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';
import type { RenderedPage } from '../../miniprogram/helpers/render';

const tapDay = (day: number) => (page: RenderedPage) => {
  page.querySelectorAll('.day')[day - 1].dispatchEvent('tap');
};

screens({
  name: 'cohort-progress',
  page: 'pages/cohort/progress',
  title: '打卡日历',
  role: 'member',
  states: [
    { name: 'day-8-of-21', caption: '21 天打卡期的第 8 天：已打卡、补卡、缺卡、今天、未开始', query: { id: '3' }, server: { 'GET /me/cohorts/3/progress': () => ok(progress()) }, fullPage: true },
    { name: 'make-up-dialog', caption: '点「缺卡」：补卡要花的积分和剩余次数', query: { id: '3' }, server: { 'GET /me/cohorts/3/progress': () => ok(progress()) }, act: tapDay(4) },
    { name: 'my-checkin', caption: '点打过卡的日子：看当天自己的打卡和老师点评', query: { id: '3' },
      server: { 'GET /me/cohorts/3/progress': () => ok(progress()), 'GET /checkins/102': () => ok(checkin({ id: 102, dayIndex: 2, date: '2026-11-14', text: 'My hometown is Xiamen, a city by the sea. 我最喜欢那里的海鲜和鼓浪屿。', imageUrls: ['/uploads/images/fixtures/sunrise.jpg'], review: review({ checkinId: 102, text: '自我介绍很自然，继续保持！', audioUrl: '/uploads/audio/r2.mp3', audioSeconds: 23 }) })) },
      act: tapDay(2) },
    { name: 'loading', caption: '加载中', query: { id: '3' }, server: { 'GET /me/cohorts/3/progress': pending } },
    { name: 'offline', caption: '断网', query: { id: '3' }, server: { 'GET /me/cohorts/3/progress': offline } },
  ],
});
