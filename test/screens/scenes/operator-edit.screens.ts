import { apiError, ok } from '../../miniprogram/helpers/fake-server';
import { tap, typeInto } from '../../miniprogram/helpers/render';
import { speaking, watercolor } from '../support/fixtures';
import { offline, screens } from '../support/scene';

const refused = () => apiError(409, 'COHORT_ALREADY_STARTED', 'A cohort can be edited only before day 1; this one is running.');

screens({
  name: 'operator-edit',
  page: 'packageOperator/pages/edit/index',
  title: '编辑打卡期 / 公告',
  role: 'operator',
  states: [
    { name: 'recruiting', caption: '编辑报名中的打卡期：名称、主题、提醒时间、公告、欢迎语、规则、每日主题', query: { id: '5' },
      server: { 'GET /cohorts/5': () => ok(watercolor()) }, act: (page) => typeInto(page, '.title-field', '14天水彩入门·第二期'), fullPage: true },
    { name: 'refused', caption: '进行中的打卡期：服务器拒绝修改时在页面上说明，改动保留', query: { id: '3' },
      server: { 'GET /cohorts/3': () => ok(speaking()), 'PUT /cohorts/3': refused },
      act: async (page) => { typeInto(page, '.welcome-field', '欢迎加入第3期！本周起每天多一个跟读练习。'); await new Promise((r) => setTimeout(r, 30)); tap(page, '.save'); } },
    { name: 'announcement', caption: '发布公告', query: { id: '3', only: 'announcement' },
      server: { 'GET /cohorts/3': () => ok(speaking()) }, act: (page) => typeInto(page, '.announcement-field', '本周六晚 8 点周老师直播答疑，准备好你的问题～\n直播链接会发在群里。') },
    { name: 'offline', caption: '断网', query: { id: '3' }, server: { 'GET /cohorts/3': offline } },
  ],
});
