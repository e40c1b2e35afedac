import { ok } from '../../miniprogram/helpers/fake-server';
import { feed, todaysAnnouncements } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const FEED = 'GET /cohorts/3/checkins?limit=10';

screens({
  name: 'cohort-feed',
  page: 'pages/cohort/feed',
  title: '打卡动态',
  role: 'member',
  states: [
    { name: 'normal', caption: '大家的打卡：精选、群内打卡、补卡、老师点评（含语音）', query: { id: '3' }, server: { [FEED]: () => ok({ items: feed(), nextCursor: '120' }) }, fullPage: true },
    { name: 'announcements', caption: '今日公告在动态最上方：早上 8 点还没人打卡时也能看到', query: { id: '3' }, server: { [FEED]: () => ok({ items: [], nextCursor: null }), 'GET /cohorts/3/today/announcements': () => ok({ items: todaysAnnouncements() }) } },
    { name: 'empty', caption: '还没有人打卡', query: { id: '3' }, server: { [FEED]: () => ok({ items: [], nextCursor: null }) } },
    { name: 'loading', caption: '加载中', query: { id: '3' }, server: { [FEED]: pending } },
    { name: 'offline', caption: '断网', query: { id: '3' }, server: { [FEED]: offline } },
  ],
});
