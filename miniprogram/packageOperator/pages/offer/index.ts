import type { OfferAudience, OfferCreateBody } from '../../../services/api-types';
import { messageOf } from '../../../utils/errors';
import { toastError, toastText } from '../../../utils/toast';
import { operatorApi } from '../../services/operator-api';

const ROUND_NAMES = ['', '第一轮', '第二轮', '第三轮'];

/** `99` / `99.9` / `99.90` yuan -> fen; null when it is not a price. */
export function toFen(text: string): number | null {
  const match = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

/** The publish form of one round's offer: title, description, price and original price in yuan, audience. */
Component({
  data: {
    cohortId: 0,
    round: 1 as 1 | 2 | 3,
    roundName: '第一轮',
    title: '',
    description: '',
    price: '',
    originalPrice: '',
    audience: 'all' as OfferAudience,
    submitting: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const round = ([1, 2, 3].includes(Number(query.round)) ? Number(query.round) : 1) as 1 | 2 | 3;
      this.setData({ cohortId: Number(query.cohortId), round, roundName: ROUND_NAMES[round] });
    },
    onTitle(event: WechatMiniprogram.Input) {
      this.setData({ title: event.detail.value });
    },
    onDescription(event: WechatMiniprogram.Input) {
      this.setData({ description: event.detail.value });
    },
    onPrice(event: WechatMiniprogram.Input) {
      this.setData({ price: event.detail.value });
    },
    onOriginalPrice(event: WechatMiniprogram.Input) {
      this.setData({ originalPrice: event.detail.value });
    },
    onAudience(event: WechatMiniprogram.TouchEvent) {
      this.setData({ audience: event.currentTarget.dataset.audience === 'finishers' ? 'finishers' : 'all' });
    },
    /** The body, or the problem to show. */
    body(): OfferCreateBody | string {
      const title = this.data.title.trim();
      if (!title) return '请填写优惠名称';
      const priceFen = toFen(this.data.price);
      if (priceFen === null) return '请填写价格（元，最多两位小数）';
      const body: OfferCreateBody = { round: this.data.round, title, priceFen, audience: this.data.audience };
      if (this.data.originalPrice.trim()) {
        const originalPriceFen = toFen(this.data.originalPrice);
        if (originalPriceFen === null) return '原价格式不对（元，最多两位小数）';
        if (originalPriceFen <= priceFen) return '原价应高于优惠价';
        body.originalPriceFen = originalPriceFen;
      }
      if (this.data.description.trim()) body.description = this.data.description.trim();
      return body;
    },
    async onSubmit() {
      if (this.data.submitting) return;
      const body = this.body();
      if (typeof body === 'string') {
        toastError(this, body);
        return;
      }
      this.setData({ submitting: true });
      try {
        await operatorApi.createOffer(this.data.cohortId, body);
        toastText(this, `${this.data.roundName}优惠已发布`);
        void wx.navigateBack();
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
