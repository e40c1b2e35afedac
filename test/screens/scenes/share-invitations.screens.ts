import { ok } from '../../miniprogram/helpers/fake-server';
import { invitations } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const route = 'GET /me/invitations?limit=20';

screens({
  name: 'share-invitations',
  page: 'packageShare/pages/invitations/index',
  title: '我的邀请',
  role: 'member',
  states: [
    { name: 'normal', caption: '邀请了几人、几人加入和打卡、得了多少积分；每位新朋友的进度（奖励已满也说明）', server: { [route]: () => ok(invitations()) }, fullPage: true },
    { name: 'empty', caption: '还没邀请到新朋友：说明怎么邀请', server: { [route]: () => ok({ summary: { invited: 0, joined: 0, checkedIn: 0, earnedPoints: 0 }, items: [], nextCursor: null }) } },
    { name: 'loading', caption: '加载中', server: { [route]: pending } },
    { name: 'offline', caption: '断网', server: { [route]: offline } },
  ],
});
