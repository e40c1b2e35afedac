import { ok } from '../../miniprogram/helpers/fake-server';
import { morningReading, queue, speaking } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const QUEUE = 'GET /teacher/review-queue?limit=20';
const cohorts = { 'GET /cohorts': () => ok({ items: [speaking(), morningReading()] }) };
const counts = { pendingToday: 2, pendingTotal: 4, doneToday: 9 };

screens({
  name: 'teacher-queue',
  page: 'packageTeacher/pages/queue/index',
  title: '待点评',
  role: 'teacher',
  states: [
    { name: 'normal', caption: '待点评的打卡：今日/全部/已点评，按打卡期筛选', server: { ...cohorts, [QUEUE]: () => ok({ items: queue(), nextCursor: null, counts }) }, fullPage: true },
    { name: 'empty', caption: '都点评完了', server: { ...cohorts, [QUEUE]: () => ok({ items: [], nextCursor: null, counts: { pendingToday: 0, pendingTotal: 0, doneToday: 13 } }) } },
    { name: 'loading', caption: '加载中', server: { ...cohorts, [QUEUE]: pending } },
    { name: 'offline', caption: '断网', server: { ...cohorts, [QUEUE]: offline } },
  ],
});
