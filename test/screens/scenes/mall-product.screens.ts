import { ok } from '../../miniprogram/helpers/fake-server';
import { tap } from '../../miniprogram/helpers/render';
import { product } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const server = (p = product()) => ({ [`GET /mall/products/${p.id}`]: () => ok(p), 'GET /me/points?limit=1': () => ok({ balance: 265, entries: [], nextCursor: null }) });

screens({
  name: 'mall-product',
  page: 'packageMall/pages/product/index',
  title: '商品详情',
  role: 'member',
  states: [
    { name: 'normal', caption: '实物商品：图片、介绍、库存、每人限兑', query: { id: '1' }, server: server() },
    { name: 'redeem-sheet', caption: '立即兑换：确认数量和收货地址', query: { id: '1' }, server: server(), act: (page) => tap(page, '.redeem') },
    { name: 'sold-out', caption: '已兑完', query: { id: '5' }, server: server(product({ id: 5, name: '《英语口语365句》', stock: 0, inStock: false, imageUrls: ['/uploads/images/fixtures/product-book.jpg'] })) },
    { name: 'loading', caption: '加载中', query: { id: '1' }, server: { 'GET /mall/products/1': pending } },
    { name: 'offline', caption: '断网', query: { id: '1' }, server: { 'GET /mall/products/1': offline } },
  ],
});
