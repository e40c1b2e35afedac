import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { mediaUrl } from '../../../services/http';
import type { Cohort, QueueItem } from '../../../services/api-types';
import { cohortsStore, type CohortsStore } from '../../../stores/cohorts';
import { memberStore } from '../../../stores/member';
import { dateTime } from '../../../utils/dates';
import { messageOf } from '../../../utils/errors';
import { toastError } from '../../../utils/toast';
import { reviewQueueStore, type ReviewQueueStore } from '../../stores/review-queue';

/** Photos shown as thumbnails on a queue item; more are counted. */
const THUMBS = 3;

function itemView(item: QueueItem) {
  return {
    id: item.id,
    author: item.author.nickname,
    cohort: item.cohortTitle,
    meta: `第${item.dayIndex}天 · ${dateTime(item.createdAt)}`,
    text: item.text.length > 80 ? `${item.text.slice(0, 80)}…` : item.text,
    thumbs: item.imageUrls.slice(0, THUMBS).map((url) => mediaUrl(url)),
    morePhotos: Math.max(0, item.imageUrls.length - THUMBS),
    featured: item.featured,
    madeUp: item.isMakeUp,
  };
}

/** The cohorts I teach (for the filter), from the shared cohort list. */
function myCohorts(store: CohortsStore): { id: number; title: string }[] {
  const me = memberStore.member;
  const mine = (c: Cohort) => !me || me.roles.includes('operator') || c.teacherIds.includes(me.id);
  return store.items.filter((c) => c.status !== 'disbanded' && mine(c)).map((c) => ({ id: c.id, title: c.title }));
}

ComponentWithStore({
  storeBindings: [
    {
      store: reviewQueueStore,
      fields: {
        items: (store: ReviewQueueStore) => store.items.map(itemView),
        counts: (store: ReviewQueueStore) => store.counts,
        status: (store: ReviewQueueStore) => store.status,
        errorMessage: (store: ReviewQueueStore) => store.errorMessage,
        hasMore: (store: ReviewQueueStore) => store.nextCursor !== null,
        loadingMore: (store: ReviewQueueStore) => store.loadingMore,
        cohortId: (store: ReviewQueueStore) => store.cohortId,
      },
      actions: [],
    },
    {
      store: cohortsStore,
      fields: { cohorts: (store: CohortsStore) => myCohorts(store) },
      actions: [],
    },
  ],
  methods: {
    onLoad() {
      void reviewQueueStore.load();
      if (cohortsStore.status !== 'ready') void cohortsStore.load();
    },
    async onPullDownRefresh() {
      await reviewQueueStore.load();
      wx.stopPullDownRefresh();
    },
    async onReachBottom() {
      try {
        await reviewQueueStore.loadMore();
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
    onReload() {
      void reviewQueueStore.load();
    },
    onFilter(event: WechatMiniprogram.TouchEvent) {
      const id = Number(event.currentTarget.dataset.id) || null;
      if (id === reviewQueueStore.cohortId) return;
      void reviewQueueStore.setFilter(id);
    },
    onOpen(event: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/packageTeacher/pages/review/index?checkinId=${event.currentTarget.dataset.id}` });
    },
  },
});
