import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { api, mediaUrl, NETWORK_ERROR } from '../../services/api';
import type { DeliveryAddress, Product, RedeemBody } from '../../services/api-types';
import { mallStore } from '../../stores/mall';
import { pointsStore, type PointsStore } from '../../stores/points';
import { addressLine, chooseAddress } from '../../utils/address';
import { codeOf, messageOf } from '../../utils/errors';
import { newRequestId } from '../../utils/request-id';

/** The most one redemption may ask for (the server's limit). */
const MAX_QUANTITY = 99;

function productView(product: Product) {
  const quota = product.myRemaining === null ? MAX_QUANTITY : product.myRemaining;
  return {
    id: product.id,
    name: product.name,
    imageUrl: mediaUrl(product.imageUrls[0]),
    price: product.pointsPrice,
    physical: product.kind === 'physical',
    maxQuantity: Math.max(1, Math.min(product.stock, quota, MAX_QUANTITY)),
    limitNote: product.perMemberLimit === null ? '' : `每人限兑 ${product.perMemberLimit} 件，还可兑 ${Math.max(0, quota)} 件`,
  };
}

type ProductView = ReturnType<typeof productView>;

interface ResultView {
  name: string;
  quantity: number;
  total: number;
  balance: number;
  physical: boolean;
}

/**
 * The confirm sheet of a redemption: price, quantity, my balance now and after, the delivery address for
 * physical goods (wx.chooseAddress), then the result. One requestId per confirmed purchase: a retry of the
 * same purchase (after a network error) sends the same id, so the server never redeems it twice.
 */
ComponentWithStore({
  storeBindings: {
    store: pointsStore,
    fields: { balance: (store: PointsStore) => store.balance },
    actions: [],
  },
  properties: {
    show: { type: Boolean, value: false },
    productId: { type: Number, value: 0 },
  },
  data: {
    product: null as ProductView | null,
    quantity: 1,
    total: 0,
    after: null as number | null,
    short: false,
    address: null as DeliveryAddress | null,
    addressText: '',
    state: 'confirm' as 'confirm' | 'done',
    submitting: false,
    errorMessage: '',
    result: null as ResultView | null,
    /** The id of the purchase being confirmed and the body it was sent with. */
    requestId: '',
    requestKey: '',
  },
  observers: {
    show(show: boolean) {
      if (show) this.open();
    },
    'quantity, balance, product'(quantity: number, balance: number | null, product: ProductView | null) {
      const total = product ? product.price * quantity : 0;
      const after = balance === null ? null : balance - total;
      this.setData({ total, after, short: after !== null && after < 0 });
    },
  },
  methods: {
    open() {
      const product = mallStore.byId(this.data.productId);
      this.setData({
        product: product ? productView(product) : null,
        quantity: 1,
        state: 'confirm',
        errorMessage: '',
        result: null,
        requestId: '',
        requestKey: '',
      });
      if (pointsStore.balance === null) pointsStore.refresh().catch(() => undefined);
    },
    onQuantity(event: { detail: number | string }) {
      this.setData({ quantity: Number(event.detail) || 1, errorMessage: '' });
    },
    async onChooseAddress() {
      const outcome = await chooseAddress();
      if ('address' in outcome) {
        this.setData({ address: outcome.address, addressText: addressLine(outcome.address), errorMessage: '' });
      } else if ('denied' in outcome) {
        this.setData({ errorMessage: '请在设置中允许使用通讯地址，再选择收货地址' });
      }
    },
    /** The id for this body: the same as the last attempt when nothing changed, else a new one. */
    requestIdFor(body: Omit<RedeemBody, 'requestId'>): string {
      const key = JSON.stringify(body);
      if (this.data.requestId && this.data.requestKey === key) return this.data.requestId;
      const requestId = newRequestId();
      this.setData({ requestId, requestKey: key });
      return requestId;
    },
    async onConfirm() {
      const product = this.data.product;
      if (!product || this.data.submitting) return;
      if (product.physical && !this.data.address) {
        await this.onChooseAddress();
        if (!this.data.address) return;
      }
      const body: Omit<RedeemBody, 'requestId'> = { productId: product.id, quantity: this.data.quantity };
      if (product.physical && this.data.address) body.address = this.data.address;
      const requestId = this.requestIdFor(body);

      this.setData({ submitting: true, errorMessage: '' });
      try {
        const result = await api.redeem({ ...body, requestId });
        pointsStore.setBalance(result.balance);
        mallStore.redeemed(result.redemption);
        this.setData({
          state: 'done',
          requestId: '',
          requestKey: '',
          result: {
            name: result.redemption.productName,
            quantity: result.redemption.quantity,
            total: result.redemption.pointsTotal,
            balance: result.balance,
            physical: result.redemption.kind === 'physical',
          },
        });
        this.triggerEvent('redeemed', result);
      } catch (error) {
        this.onRedeemError(error, product.id);
      } finally {
        this.setData({ submitting: false });
      }
    },
    onRedeemError(error: unknown, productId: number) {
      const code = codeOf(error);
      // Anything but a lost connection is a final answer: the next attempt is a new purchase.
      if (code !== NETWORK_ERROR) this.setData({ requestId: '', requestKey: '' });
      if (code === 'OUT_OF_STOCK') mallStore.soldOut(productId);
      if (code === 'INSUFFICIENT_POINTS') pointsStore.refresh().catch(() => undefined);
      this.setData({ errorMessage: messageOf(error) });
    },
    onClose() {
      this.triggerEvent('close');
    },
    onMyRedemptions() {
      this.triggerEvent('close');
      void wx.navigateTo({ url: '/packageMall/pages/redemptions/index' });
    },
  },
});
