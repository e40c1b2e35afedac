import { ok } from '../../miniprogram/helpers/fake-server';
import { memberOffer, subscriptions } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

screens({
  name: 'offers',
  page: 'pages/offers/index',
  title: '续报优惠',
  role: 'member',
  states: [
    {
      name: 'normal', caption: '进行中的优惠：价格、原价、倒计时、已购买', query: { cohortId: '2' },
      server: { 'GET /me/subscriptions': () => ok(subscriptions()), 'GET /me/offers': () => ok({ items: [memberOffer(), memberOffer({ id: 32, round: 1, title: '14天水彩入门 · 早鸟价', cohortId: 2, priceFen: 9900, originalPriceFen: null, audience: 'finishers', purchased: true, description: null })] }) },
    },
    { name: 'empty', caption: '现在没有优惠', server: { 'GET /me/offers': () => ok({ items: [] }) } },
    { name: 'loading', caption: '加载中', server: { 'GET /me/offers': pending } },
    { name: 'offline', caption: '断网', server: { 'GET /me/offers': offline } },
  ],
});
