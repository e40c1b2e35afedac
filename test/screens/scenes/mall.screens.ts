import { ok } from '../../miniprogram/helpers/fake-server';
import { products } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';
import type { RenderedPage } from '../../miniprogram/helpers/render';

const server = { 'GET /mall/products': () => ok({ items: products() }), 'GET /me/points?limit=1': () => ok({ balance: 265, entries: [], nextCursor: null }) };
const redeem = (index: number) => (page: RenderedPage) => page.querySelectorAll('.product__redeem')[index].dispatchEvent('tap');

screens({
  name: 'mall',
  page: 'pages/mall/index',
  title: '积分商城',
  role: 'member',
  states: [
    { name: 'normal', caption: '商品：库存、限兑、已兑完', server, fullPage: true },
    { name: 'redeem-sheet', caption: '兑换确认：数量、收货地址、兑换后剩余', server, act: redeem(0) },
    { name: 'redeem-short', caption: '积分不足时的兑换确认', server, act: redeem(1) },
    { name: 'empty', caption: '还没有商品', server: { ...server, 'GET /mall/products': () => ok({ items: [] }) } },
    { name: 'loading', caption: '加载中', server: { ...server, 'GET /mall/products': pending } },
    { name: 'offline', caption: '断网', server: { ...server, 'GET /mall/products': offline } },
  ],
});
