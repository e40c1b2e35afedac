import { mediaUrl } from '../../../services/api';
import type { Product } from '../../../services/api-types';
import { mallStore } from '../../../stores/mall';
import { messageOf } from '../../../utils/errors';

function detailView(product: Product) {
  const soldOut = product.stock <= 0;
  const limitReached = product.myRemaining === 0;
  let blocked = '';
  if (!product.active) blocked = '已下架';
  else if (soldOut) blocked = '已兑完';
  else if (limitReached) blocked = '已达兑换上限';
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    images: product.imageUrls.map((url) => mediaUrl(url)),
    price: product.pointsPrice,
    stock: soldOut ? '已兑完' : `库存 ${product.stock} 件`,
    limit:
      product.perMemberLimit === null
        ? '不限兑换数量'
        : `每人限兑 ${product.perMemberLimit} 件，已兑 ${product.myRedeemed} 件`,
    kindNote: product.kind === 'physical' ? '实物商品，兑换时填写收货地址' : '虚拟商品，发放后在「我的兑换」查看兑换码',
    blocked,
  };
}

/** One product: pictures, description, price, stock and my quota; 立即兑换 opens the confirm sheet. */
Component({
  data: {
    id: 0,
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    product: null as ReturnType<typeof detailView> | null,
    showSheet: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: Number(query.id) });
      void this.load();
    },
    async load() {
      try {
        const product = await mallStore.fetch(this.data.id);
        this.setData({ product: detailView(product), state: 'ready' });
      } catch (error) {
        this.setData({ state: 'error', errorMessage: messageOf(error) });
      }
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onReload() {
      this.setData({ state: 'loading' });
      void this.load();
    },
    onPreview(event: WechatMiniprogram.TouchEvent) {
      const images = this.data.product?.images ?? [];
      void wx.previewImage({ current: String(event.currentTarget.dataset.url), urls: images });
    },
    onRedeem() {
      this.setData({ showSheet: true });
    },
    onCloseSheet() {
      this.setData({ showSheet: false });
    },
    /** The sheet moved the stock and my quota in the store: show them. */
    onRedeemed() {
      const product = mallStore.byId(this.data.id);
      if (product) this.setData({ product: detailView(product) });
    },
  },
});
