import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import type { Cohort } from '../../../services/api-types';
import { cohortsStore, type CohortsStore } from '../../../stores/cohorts';
import { dayLine } from '../../../utils/cohort-view';
import { messageOf } from '../../../utils/errors';
import { statusTag } from '../../../utils/labels';
import { percent, priceLabel } from '../../../utils/money';
import { toastError } from '../../../utils/toast';
import { conversionStore, type ConversionStore } from '../../stores/conversion';

function rowView(cohort: Cohort, conversion: ConversionStore) {
  const numbers = conversion.overview[cohort.id];
  return {
    id: cohort.id,
    title: cohort.title,
    status: statusTag(cohort.status),
    day: dayLine(cohort),
    members: `${cohort.memberCount}人`,
    funnel: numbers
      ? `完成率 ${percent(numbers.completionRate)} · 转化率 ${percent(numbers.conversionRate)} · 营收 ${priceLabel(numbers.revenueFen)}`
      : '',
    disbandReady: cohort.status === 'converting' && conversion.disbandReady(cohort.id),
    groupBound: cohort.groupBound,
  };
}

/** Every cohort for operators: status, the funnel at a glance and a 可解散 badge; the way to launch one. */
ComponentWithStore({
  storeBindings: [
    {
      store: cohortsStore,
      fields: {
        status: (store: CohortsStore) => store.status,
        errorMessage: (store: CohortsStore) => store.errorMessage,
      },
      actions: [],
    },
    {
      store: conversionStore,
      fields: {
        // Tracks both stores: re-derived when the list, the overview or a summary changes.
        rows: (store: ConversionStore) => cohortsStore.items.map((c) => rowView(c, store)),
      },
      actions: [],
    },
  ],
  methods: {
    onShow() {
      void this.refresh();
    },
    async refresh() {
      const loaded = await cohortsStore.load();
      if (!loaded) return;
      const converting = cohortsStore.items.filter((c) => c.status === 'converting');
      const results = await Promise.allSettled([
        conversionStore.loadOverview(),
        ...converting.map((c) => conversionStore.loadSummary(c.id)),
      ]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) toastError(this, messageOf(failed.reason));
    },
    async onPullDownRefresh() {
      await this.refresh();
      wx.stopPullDownRefresh();
    },
    onReload() {
      void this.refresh();
    },
    onCreate() {
      void wx.navigateTo({ url: '/packageOperator/pages/create/index' });
    },
    onRoles() {
      void wx.navigateTo({ url: '/packageOperator/pages/roles/index' });
    },
    onOpen(event: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/packageOperator/pages/cohort/index?id=${event.currentTarget.dataset.id}` });
    },
  },
});
