import { ok } from '../../miniprogram/helpers/fake-server';
import { conversion, finishedSpeaking, morningReading, overview, speaking, watercolor } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const server = {
  'GET /cohorts': () => ok({ items: [watercolor(), speaking(), morningReading(), finishedSpeaking()] }),
  'GET /metrics/overview': () => ok({ items: overview() }),
  'GET /cohorts/2/conversion': () => ok(conversion()),
};

screens({
  name: 'operator-cohorts',
  page: 'packageOperator/pages/cohorts/index',
  title: '运营工作台',
  role: 'operator',
  states: [
    { name: 'normal', caption: '所有打卡期：状态、漏斗、可解散', server },
    { name: 'empty', caption: '还没有打卡期', server: { ...server, 'GET /cohorts': () => ok({ items: [] }) } },
    { name: 'loading', caption: '加载中', server: { ...server, 'GET /cohorts': pending } },
    { name: 'offline', caption: '断网', server: { ...server, 'GET /cohorts': offline } },
  ],
});
