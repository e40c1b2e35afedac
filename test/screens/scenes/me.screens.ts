import { ok } from '../../miniprogram/helpers/fake-server';
import { invitation, people, subscriptions } from '../support/fixtures';
import { screens } from '../support/scene';
import type { Member } from '../../../miniprogram/services/api-types';

const server = (member: Member) => ({
  'GET /me': () => ok(member),
  'GET /me/points?limit=1': () => ok({ balance: 265, entries: [], nextCursor: null }),
  'GET /me/notifications': () => ok({ items: [
    { id: 31, kind: 'likes', page: 'pages/cohort/post?id=131', data: { count: '18', latest: 'Amy 王', date: '2026-11-20' }, unread: true, createdAt: '2026-11-20T01:30:00.000Z' },
    { id: 30, kind: 'comment', page: 'pages/cohort/post?id=131', data: { from: '周老师', text: '发音清楚，明天试着多用两个形容词！', date: '2026-11-20' }, unread: true, createdAt: '2026-11-20T01:10:00.000Z' },
    invitation(),
  ] }),
  'GET /me/subscriptions': () => ok(subscriptions({ reminder: 3, review: 1 })),
});

screens({
  name: 'me',
  page: 'pages/me/index',
  title: '我的',
  role: 'member',
  states: [
    { name: 'member', caption: '学员：头像、积分、消息（获赞合并成一条、评论、下一期邀请，「新」徽标）、消息提醒管理', server: server(people.member), fullPage: true },
    { name: 'teacher', caption: '老师：多了老师工作台和扫码登录控制台', role: 'teacher', server: server(people.teacher), fullPage: true },
    { name: 'operator', caption: '运营：多了运营工作台和扫码登录控制台', role: 'operator', server: server(people.operator), fullPage: true },
    { name: 'logging-in', caption: '正在登录', login: 'pending' },
    { name: 'login-failed', caption: '登录失败', login: 'fail' },
  ],
});
