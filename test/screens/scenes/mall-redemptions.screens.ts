import { ok } from '../../miniprogram/helpers/fake-server';
import type { RenderedPage } from '../../miniprogram/helpers/render';
import { redemptions } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const LIST = 'GET /me/redemptions?limit=20';

screens({
  name: 'mall-redemptions',
  page: 'packageMall/pages/redemptions/index',
  title: '我的兑换',
  role: 'member',
  states: [
    { name: 'normal', caption: '待发货、已完成（物流、兑换码）、已取消（退回积分）', server: { [LIST]: () => ok({ items: redemptions(), nextCursor: null }) }, fullPage: true },
    { name: 'cancel-dialog', caption: '取消兑换前确认', server: { [LIST]: () => ok({ items: redemptions(), nextCursor: null }) },
      act: (page: RenderedPage) => page.querySelector('.cancel')!.dispatchEvent('tap') },
    { name: 'empty', caption: '还没有兑换记录', server: { [LIST]: () => ok({ items: [], nextCursor: null }) } },
    { name: 'loading', caption: '加载中', server: { [LIST]: pending } },
    { name: 'offline', caption: '断网', server: { [LIST]: offline } },
  ],
});
