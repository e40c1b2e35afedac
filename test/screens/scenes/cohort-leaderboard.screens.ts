import { ok } from '../../miniprogram/helpers/fake-server';
import { leaderboard } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const board = (by: 'points' | 'streak' | 'likes') => ({ [`GET /cohorts/3/leaderboard?by=${by}`]: () => ok(leaderboard(by)) });

screens({
  name: 'cohort-leaderboard',
  page: 'pages/cohort/leaderboard',
  title: '排行榜',
  role: 'member',
  states: [
    { name: 'points', caption: '积分榜：前 50 名，我的名次固定在底部（第 53 名）', query: { id: '3' }, server: board('points') },
    { name: 'streak', caption: '连续打卡榜', query: { id: '3', by: 'streak' }, server: board('streak') },
    { name: 'likes', caption: '获赞榜', query: { id: '3', by: 'likes' }, server: board('likes') },
    { name: 'in-top', caption: '我在前 50 名里：我的那一行也标出来', query: { id: '3' },
      server: { 'GET /cohorts/3/leaderboard?by=points': () => {
        const b = leaderboard('points');
        b.items[2] = { ...b.items[2], member: b.me!.member };
        return ok({ ...b, me: { ...b.me!, rank: 3, value: b.items[2].value } });
      } } },
    { name: 'empty', caption: '第一天还没有人上榜', query: { id: '3' },
      server: { 'GET /cohorts/3/leaderboard?by=points': () => ok({ by: 'points', items: [], me: { rank: null, member: leaderboard().me!.member, value: 0 } }) } },
    { name: 'loading', caption: '加载中', query: { id: '3' }, server: { 'GET /cohorts/3/leaderboard?by=points': pending } },
    { name: 'offline', caption: '断网', query: { id: '3' }, server: { 'GET /cohorts/3/leaderboard?by=points': offline } },
  ],
});
