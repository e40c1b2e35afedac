import { ok } from '../../miniprogram/helpers/fake-server';
import { ledger } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const LEDGER = 'GET /me/points?limit=20';

screens({
  name: 'points',
  page: 'pages/points/index',
  title: '我的积分',
  role: 'member',
  states: [
    { name: 'normal', caption: '余额和积分明细', server: { [LEDGER]: () => ok({ balance: 265, entries: ledger(), nextCursor: null }) } },
    { name: 'empty', caption: '还没有积分记录', server: { [LEDGER]: () => ok({ balance: 0, entries: [], nextCursor: null }) } },
    { name: 'loading', caption: '加载中', server: { [LEDGER]: pending } },
    { name: 'offline', caption: '断网', server: { [LEDGER]: offline } },
  ],
});
