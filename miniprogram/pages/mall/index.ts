import { when } from 'mobx-miniprogram';
import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { mediaUrl } from '../../services/api';
import { getToken } from '../../services/auth';
import type { Product } from '../../services/api-types';
import { mallStore, type MallStore } from '../../stores/mall';
import { memberStore } from '../../stores/member';
import { pointsStore, type PointsStore } from '../../stores/points';

/** A product as a card of the list: only what the card shows. */
function cardView(product: Product) {
  const soldOut = product.stock <= 0;
  const limitReached = product.myRemaining === 0;
  return {
    id: product.id,
    name: product.name,
    imageUrl: mediaUrl(product.imageUrls[0]),
    price: product.pointsPrice,
    stock: soldOut ? '已兑完' : `库存 ${product.stock}`,
    soldOut,
    limitReached,
    virtual: product.kind === 'virtual',
  };
}

/** The Mall tab: products (in stock first) with a quick redeem, my balance and a link to my redemptions. */
ComponentWithStore({
  storeBindings: [
    {
      store: mallStore,
      fields: {
        products: (store: MallStore) => store.products.map(cardView),
        status: (store: MallStore) => store.status,
        errorMessage: (store: MallStore) => store.errorMessage,
      },
      actions: [],
    },
    {
      store: pointsStore,
      fields: { balance: (store: PointsStore) => store.balance },
      actions: [],
    },
  ],
  data: {
    sheetProductId: 0,
    showSheet: false,
  },
  methods: {
    // Page lifecycle: stock and my balance change elsewhere; reload both each time the tab shows.
    onShow() {
      // Opened before the launch login finished: load once it has.
      if (getToken()) void this.refresh();
      else void when(() => memberStore.status === 'loggedIn').then(() => this.refresh());
    },
    async refresh() {
      await Promise.all([mallStore.load(), pointsStore.refresh().catch(() => undefined)]);
    },
    async onPullDownRefresh() {
      await this.refresh();
      wx.stopPullDownRefresh();
    },
    onReload() {
      void this.refresh();
    },
    onOpen(event: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/packageMall/pages/product/index?id=${event.currentTarget.dataset.id}` });
    },
    onRedeem(event: WechatMiniprogram.TouchEvent) {
      this.setData({ sheetProductId: Number(event.currentTarget.dataset.id), showSheet: true });
    },
    onCloseSheet() {
      this.setData({ showSheet: false });
    },
    onMyRedemptions() {
      void wx.navigateTo({ url: '/packageMall/pages/redemptions/index' });
    },
  },
});
