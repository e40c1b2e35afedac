import { ok } from '../../miniprogram/helpers/fake-server';
import { tap } from '../../miniprogram/helpers/render';
import { cohort, conversion, finishedSpeaking, groupQr, speaking, watercolor } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const server = {
  'GET /cohorts/2': () => ok(finishedSpeaking()),
  'GET /cohorts/2/conversion': () => ok(conversion()),
  'GET /cohorts': () => ok({ items: [watercolor(), speaking(), finishedSpeaking()] }),
};

screens({
  name: 'operator-cohort',
  page: 'packageOperator/pages/cohort/index',
  title: '打卡期管理',
  role: 'operator',
  states: [
    { name: 'converting', caption: '转化中：三轮优惠、可以解散', query: { id: '2' }, server, fullPage: true },
    { name: 'running', caption: '进行中的打卡期：还没有群二维码，说明怎么上传', query: { id: '3' }, server: { 'GET /cohorts/3': () => ok(speaking()) } },
    { name: 'group-qr', caption: '群二维码：上传时间、约何时过期', query: { id: '3' }, server: { 'GET /cohorts/3': () => ok(cohort({ groupQr: groupQr() })) } },
    { name: 'group-qr-expiring', caption: '群二维码明天过期：提醒去微信群里重新生成再更换', query: { id: '3' },
      server: { 'GET /cohorts/3': () => ok(cohort({ groupQr: groupQr('expiring', '2026-11-14T02:00:00.000Z') })) } },
    { name: 'recruiting', caption: '报名中的打卡期', query: { id: '5' }, server: { 'GET /cohorts/5': () => ok(watercolor()) } },
    { name: 'disband-sheet', caption: '解散：选择要邀请学员加入的下一期', query: { id: '2' }, server, act: (page) => tap(page, '.disband') },
    { name: 'loading', caption: '加载中', query: { id: '2' }, server: { 'GET /cohorts/2': pending } },
    { name: 'offline', caption: '断网', query: { id: '2' }, server: { 'GET /cohorts/2': offline } },
  ],
});
