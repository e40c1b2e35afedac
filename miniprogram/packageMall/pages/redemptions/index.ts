import { api } from '../../../services/api';
import type { Redemption, RedemptionState } from '../../../services/api-types';
import { mallStore } from '../../../stores/mall';
import { pointsStore } from '../../../stores/points';
import { addressLine } from '../../../utils/address';
import { dateTime } from '../../../utils/dates';
import { messageOf } from '../../../utils/errors';
import { toastError, toastText } from '../../../utils/toast';
import { showPage } from '../../../utils/paging';

export const REDEMPTIONS_PAGE_SIZE = 20;

const FILTERS: { state: RedemptionState | ''; label: string }[] = [
  { state: '', label: '全部' },
  { state: 'pending', label: '待发货' },
  { state: 'fulfilled', label: '已完成' },
  { state: 'cancelled', label: '已取消' },
];

const STATE_TAGS: Record<RedemptionState, { label: string; type: string }> = {
  pending: { label: '待发货', type: 'warning' },
  fulfilled: { label: '已完成', type: 'success' },
  cancelled: { label: '已取消', type: 'default' },
};

function itemView(r: Redemption) {
  let delivery = '';
  if (r.state === 'fulfilled' && r.trackingNumber) delivery = `物流：${r.carrier ? `${r.carrier} ` : ''}${r.trackingNumber}`;
  else if (r.state === 'pending' && r.address) delivery = `收货：${addressLine(r.address)}`;
  let refund = '';
  if (r.state === 'cancelled') {
    const by = r.cancelledBy === 'operator' ? '（商城取消）' : '';
    refund = `已退回 ${r.pointsTotal} 积分${by}${r.cancelReason ? ` · ${r.cancelReason}` : ''}`;
  }
  return {
    id: r.id,
    name: r.productName,
    quantity: `× ${r.quantity}`,
    points: `${r.pointsTotal} 积分`,
    time: dateTime(r.createdAt),
    state: STATE_TAGS[r.state] ?? { label: r.state, type: 'default' },
    delivery,
    code: r.state === 'fulfilled' && r.virtualCode ? r.virtualCode : '',
    refund,
    cancellable: r.state === 'pending',
  };
}

type ItemView = ReturnType<typeof itemView>;

/** 我的兑换: by state (待发货/已完成/已取消), newest first, paged; cancel while pending (refunds the points). */
Component({
  data: {
    filters: FILTERS,
    state: '' as RedemptionState | '',
    items: [] as ItemView[],
    nextCursor: null as string | null,
    loading: false,
    loaded: false,
    errorMessage: '',
    cancelId: 0,
    showCancel: false,
    cancelMessage: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const state = FILTERS.some((f) => f.state === query.state) ? (query.state as RedemptionState) : '';
      this.setData({ state });
      void this.loadPage(true);
    },
    async onPullDownRefresh() {
      await this.loadPage(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom() {
      if (this.data.nextCursor && !this.data.loading) void this.loadPage(false);
    },
    onReload() {
      void this.loadPage(true);
    },
    onFilter(event: WechatMiniprogram.TouchEvent) {
      const state = String(event.currentTarget.dataset.state ?? '') as RedemptionState | '';
      if (state === this.data.state) return;
      this.setData({ state, items: [], loaded: false, nextCursor: null });
      void this.loadPage(true);
    },
    async loadPage(first: boolean) {
      if (this.data.loading) return;
      const state = this.data.state;
      this.setData({ loading: true, errorMessage: '' });
      try {
        const page = await api.myRedemptions({
          state: state || null,
          limit: REDEMPTIONS_PAGE_SIZE,
          before: first ? null : this.data.nextCursor,
        });
        if (state !== this.data.state) return; // the filter changed meanwhile
        const views = page.items.map(itemView);
        showPage(this, 'items', views, first, page.nextCursor);
      } catch (error) {
        if (this.data.loaded) toastError(this, messageOf(error));
        this.setData({ errorMessage: messageOf(error) });
      } finally {
        this.setData({ loading: false });
      }
    },
    onCopy(event: WechatMiniprogram.TouchEvent) {
      void wx.setClipboardData({ data: String(event.currentTarget.dataset.code) });
    },
    onAskCancel(event: WechatMiniprogram.TouchEvent) {
      const id = Number(event.currentTarget.dataset.id);
      const item = this.data.items.find((i) => i.id === id);
      if (!item) return;
      this.setData({
        cancelId: id,
        showCancel: true,
        cancelMessage: `取消「${item.name}」的兑换后，${item.points}会退回你的账户。`,
      });
    },
    onKeep() {
      this.setData({ showCancel: false, cancelId: 0 });
    },
    async onConfirmCancel() {
      const id = this.data.cancelId;
      this.setData({ showCancel: false, cancelId: 0 });
      try {
        const { redemption, balance } = await api.cancelRedemption(id);
        pointsStore.setBalance(balance);
        mallStore.cancelled(redemption);
        const index = this.data.items.findIndex((i) => i.id === id);
        if (index !== -1) {
          // On 待发货 it leaves the list; elsewhere it shows as cancelled.
          if (this.data.state === 'pending') this.setData({ items: this.data.items.filter((i) => i.id !== id) });
          else this.setData({ [`items[${index}]`]: itemView(redemption) });
        }
        toastText(this, `已取消，${redemption.pointsTotal} 积分已退回`);
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
  },
});
