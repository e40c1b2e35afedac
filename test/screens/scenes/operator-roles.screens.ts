import { ok } from '../../miniprogram/helpers/fake-server';
import { staff } from '../support/fixtures';
import { offline, screens } from '../support/scene';

const LIST = 'GET /admin/members?limit=20';

screens({
  name: 'operator-roles',
  page: 'packageOperator/pages/roles/index',
  title: '成员与身份',
  role: 'operator',
  states: [
    { name: 'normal', caption: '搜索成员，授予老师、运营身份', server: { [LIST]: () => ok({ items: staff(), nextCursor: 'x' }) } },
    { name: 'offline', caption: '断网', server: { [LIST]: offline } },
  ],
});
