import { ok } from '../../miniprogram/helpers/fake-server';
import { metrics } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';
import { recordingCanvases } from '../support/canvas';

/** `.chart` is 100% of a block (375 - 2×12 margin - 2×14 padding) by 160 px. */
const canvases = recordingCanvases({ width: 323, height: 160 });

screens({
  name: 'operator-metrics',
  page: 'packageOperator/pages/metrics/index',
  title: '数据看板',
  role: 'operator',
  states: [
    { name: 'normal', caption: '漏斗数字、每日打卡率、连续打卡分布、转化轮次', query: { id: '2' }, server: { 'GET /cohorts/2/metrics': () => ok(metrics()) }, wx: canvases, fullPage: true },
    { name: 'loading', caption: '加载中', query: { id: '2' }, server: { 'GET /cohorts/2/metrics': pending } },
    { name: 'offline', caption: '断网', query: { id: '2' }, server: { 'GET /cohorts/2/metrics': offline } },
  ],
});
