import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { api } from '../../services/api';
import type { PointsEntry } from '../../services/api-types';
import { pointsStore, type PointsStore } from '../../stores/points';
import { dateTime } from '../../utils/dates';
import { messageOf } from '../../utils/errors';
import { reasonLabel, signedPoints } from '../../utils/labels';
import { toastError } from '../../utils/toast';
import { showPage } from '../../utils/paging';

export const LEDGER_PAGE_SIZE = 20;

function entryView(entry: PointsEntry) {
  return {
    id: entry.id,
    title: entry.note ? `${reasonLabel(entry.reason)} · ${entry.note}` : reasonLabel(entry.reason),
    time: dateTime(entry.createdAt),
    delta: signedPoints(entry.delta),
    gain: entry.delta > 0,
  };
}

/** My balance and ledger, newest first, paged with `before` (appended with path keys). */
ComponentWithStore({
  storeBindings: {
    store: pointsStore,
    fields: { balance: (store: PointsStore) => store.balance },
    actions: [],
  },
  data: {
    entries: [] as ReturnType<typeof entryView>[],
    nextCursor: null as string | null,
    loading: false,
    loaded: false,
    errorMessage: '',
  },
  methods: {
    onLoad() {
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
      void this.loadPage(!this.data.loaded);
    },
    async loadPage(first: boolean) {
      if (this.data.loading) return;
      this.setData({ loading: true, errorMessage: '' });
      try {
        const page = await api.myPoints({ limit: LEDGER_PAGE_SIZE, before: first ? null : this.data.nextCursor });
        pointsStore.setBalance(page.balance);
        const views = page.entries.map(entryView);
        showPage(this, 'entries', views, first, page.nextCursor);
      } catch (error) {
        if (this.data.loaded) toastError(this, messageOf(error));
        this.setData({ errorMessage: messageOf(error) });
      } finally {
        this.setData({ loading: false });
      }
    },
  },
});
