import { ok } from '../../miniprogram/helpers/fake-server';
import { staff } from '../support/fixtures';
import { screens } from '../support/scene';
import type { RenderedPage } from '../../miniprogram/helpers/render';

const server = { 'GET /admin/members?role=teacher&limit=50': () => ok({ items: staff().filter((m) => m.roles.includes('teacher')), nextCursor: null }) };
const fill = (step: number) => (page: RenderedPage) => {
  (page.instance as unknown as { setData(d: object): void }).setData({
    title: '21天英语口语打卡·第4期', theme: '英语口语', durationDays: 21, startDate: '2026-12-07', startLabel: '12月7日', step,
    prompts: ['用英语做一个 1 分钟的自我介绍', '介绍你的家乡', '说说你最喜欢的一本书', ...new Array(18).fill('')],
    rules: '每天录一段 1 分钟以上的英语口语，配一张照片。', welcome: '欢迎加入第4期！',
  });
};

screens({
  name: 'operator-create',
  page: 'packageOperator/pages/create/index',
  title: '新建打卡期',
  role: 'operator',
  states: [
    { name: 'step-1', caption: '第一步：名称、主题、天数、开始日期、提醒时间、老师', server },
    { name: 'step-2', caption: '第二步：每日主题（21 天）', server, act: fill(1), fullPage: true },
    { name: 'step-3', caption: '第三步：规则和欢迎语，确认后创建', server, act: fill(2) },
  ],
});
