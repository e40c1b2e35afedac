import { NETWORK_DOWN, ok } from '../../miniprogram/helpers/fake-server';
import { finishedSpeaking, morningReading, readingDone, speaking, watercolor } from '../support/fixtures';
import { pending, screens } from '../support/scene';

const cohorts = () => ok({ items: [speaking(), finishedSpeaking(), watercolor(), morningReading()] });

screens({
  name: 'home',
  page: 'pages/home/index',
  title: '首页（打卡）',
  role: 'member',
  states: [
    { name: 'normal', caption: '我的打卡期（今天去打卡）和可以加入的打卡期', server: { 'GET /cohorts': cohorts } },
    { name: 'today-done', caption: '今天已打卡的打卡期显示「今日已打卡 ✓」', server: { 'GET /cohorts': () => ok({ items: [speaking(), readingDone(), watercolor()] }) } },
    { name: 'logging-in', caption: '启动时正在登录', login: 'pending' },
    { name: 'login-failed', caption: '登录失败：说明原因并可重试', login: 'fail' },
    { name: 'loading', caption: '登录后正在加载打卡期', server: { 'GET /cohorts': pending } },
    { name: 'offline', caption: '加载打卡期时断网', server: { 'GET /cohorts': () => NETWORK_DOWN } },
    { name: 'empty', caption: '还没有任何打卡期', server: { 'GET /cohorts': () => ok({ items: [] }) } },
  ],
});
