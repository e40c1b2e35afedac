import { api } from '../../services/api';
import type { MemberOffer } from '../../services/api-types';
import { codeOf, messageOf } from '../../utils/errors';
import { priceLabel } from '../../utils/money';
import { PaymentFailed, requestPayment } from '../../utils/pay';
import { requestSubscribe, subscriptionTemplates } from '../../utils/subscribe';
import { toastError, toastText } from '../../utils/toast';

const ROUNDS = ['', '第一轮', '第二轮', '第三轮'];

export type OfferState = 'buy' | 'paying' | 'paid';

function offerView(offer: MemberOffer, now: number) {
  return {
    id: offer.id,
    cohortId: offer.cohortId,
    title: offer.title,
    cohortTitle: offer.cohortTitle,
    round: ROUNDS[offer.round] ?? `第${offer.round}轮`,
    description: offer.description ?? '',
    price: priceLabel(offer.priceFen),
    originalPrice: offer.originalPriceFen && offer.originalPriceFen > offer.priceFen ? priceLabel(offer.originalPriceFen) : '',
    /** Milliseconds until the offer closes (van-count-down). */
    remaining: Math.max(0, Date.parse(offer.closesAt) - now),
    finishersOnly: offer.audience === 'finishers',
    state: (offer.purchased ? 'paid' : 'buy') as OfferState,
  };
}

type OfferView = ReturnType<typeof offerView>;

/**
 * Paid offers open to me (续报): price in yuan, the original price struck through, the round and a
 * countdown to its close. Buying creates the order, then pays with wx.requestPayment (or, against a local
 * server in fake pay mode, with POST /dev/orders/:id/pay).
 */
Component({
  data: {
    cohortId: 0,
    offers: [] as OfferView[],
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    /** The offer notice template (loaded ahead: the consent dialog opens from the tap) and the sends banked. */
    offerTemplate: '',
    offerSends: 0,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ cohortId: Number(query.cohortId) || 0 });
      void this.load();
      void this.loadOfferTemplate();
    },
    async loadOfferTemplate() {
      try {
        const offer = (await subscriptionTemplates()).find((t) => t.key === 'offer');
        if (offer) this.setData({ offerTemplate: offer.templateId, offerSends: offer.sendsLeft });
      } catch {
        // No offer notices then; the offers themselves still show.
      }
    },
    /** From the tap: one more notice when the next round opens. */
    onNotifyOffers() {
      const templateId = this.data.offerTemplate;
      if (!templateId) return;
      requestSubscribe([templateId]).then(
        async (accepted) => {
          toastText(this, accepted ? '好的，下一轮优惠开始时通知你' : '已记录你的选择');
          await this.loadOfferTemplate();
        },
        () => toastError(this, '没能打开订阅提醒，请稍后再试'),
      );
    },
    async load() {
      try {
        const { items } = await api.myOffers();
        const now = Date.now();
        // The cohort I came from first.
        const sorted = [...items].sort((a, b) => Number(b.cohortId === this.data.cohortId) - Number(a.cohortId === this.data.cohortId));
        this.setData({ offers: sorted.map((offer) => offerView(offer, now)), state: 'ready' });
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
    setOfferState(id: number, state: OfferState) {
      const index = this.data.offers.findIndex((o) => o.id === id);
      if (index !== -1) this.setData({ [`offers[${index}].state`]: state });
    },
    async onBuy(event: WechatMiniprogram.TouchEvent) {
      const id = Number(event.currentTarget.dataset.id);
      const offer = this.data.offers.find((o) => o.id === id);
      if (!offer || offer.state !== 'buy') return;
      this.setOfferState(id, 'paying');
      try {
        const { order, payment, fakePayment } = await api.createOrder(id);
        if (fakePayment) await api.fakePay(order.id);
        else await requestPayment(payment);
        this.setOfferState(id, 'paid');
        toastText(this, '支付成功，欢迎继续一起打卡');
      } catch (error) {
        this.onBuyError(id, error);
      }
    },
    onBuyError(id: number, error: unknown) {
      if (error instanceof PaymentFailed) {
        this.setOfferState(id, 'buy');
        toastText(this, error.cancelled ? '已取消支付' : '支付没有完成，请重试');
        return;
      }
      const code = codeOf(error);
      if (code === 'ALREADY_PURCHASED') {
        this.setOfferState(id, 'paid');
      } else {
        this.setOfferState(id, 'buy');
        if (code === 'OFFER_CLOSED') this.setData({ offers: this.data.offers.filter((o) => o.id !== id) });
      }
      toastError(this, messageOf(error));
    },
    onCountdownFinish(event: WechatMiniprogram.TouchEvent) {
      const id = Number(event.currentTarget.dataset.id);
      const index = this.data.offers.findIndex((o) => o.id === id);
      if (index !== -1 && this.data.offers[index].state === 'buy') this.setData({ [`offers[${index}].remaining`]: 0 });
    },
  },
});
