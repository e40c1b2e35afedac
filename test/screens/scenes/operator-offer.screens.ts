import { screens } from '../support/scene';

screens({
  name: 'operator-offer',
  page: 'packageOperator/pages/offer/index',
  title: '发布优惠',
  role: 'operator',
  states: [{ name: 'new', caption: '发布第二轮优惠', query: { cohortId: '2', round: '2' } }],
});
