import { ok } from '../../miniprogram/helpers/fake-server';
import { progress } from '../support/fixtures';
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
    { name: 'loading', caption: '加载中', query: { id: '3' }, server: { 'GET /me/cohorts/3/progress': pending } },
    { name: 'offline', caption: '断网', query: { id: '3' }, server: { 'GET /me/cohorts/3/progress': offline } },
  ],
});
