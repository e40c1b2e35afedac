import { api, mediaUrl } from '../../services/api';
import { cohortsStore } from '../../stores/cohorts';
import type { Checkin } from '../../services/types';
import { dateTime } from '../../utils/dates';
import { messageOf } from '../../utils/errors';
import { toastError } from '../../utils/toast';
import { showPage } from '../../utils/paging';

export const FEED_PAGE_SIZE = 10;

function itemView(checkin: Checkin) {
  return {
    id: checkin.id,
    author: checkin.author.nickname,
    initial: checkin.author.nickname.slice(0, 1),
    avatar: mediaUrl(checkin.author.avatarUrl),
    meta: `第${checkin.dayIndex}天 · ${dateTime(checkin.createdAt)}`,
    text: checkin.text,
    images: checkin.imageUrls.map((url) => mediaUrl(url)),
    featured: checkin.featured,
    madeUp: checkin.isMakeUp,
    viaGroup: checkin.viaGroup,
    review: checkin.review
      ? {
          teacher: checkin.review.teacher.nickname,
          text: checkin.review.text,
          audioUrl: checkin.review.audioUrl ?? '',
          audioSeconds: checkin.review.audioSeconds ?? 0,
        }
      : null,
  };
}

/**
 * The cohort's feed, newest first. Pages are appended with path keys (`items[n]`): a long feed is never
 * sent to the view layer again.
 */
Component({
  data: {
    id: 0,
    items: [] as ReturnType<typeof itemView>[],
    nextCursor: null as string | null,
    loading: false,
    loaded: false,
    errorMessage: '',
    /** Whether the load that failed was a refresh (the first page) or the next page. */
    failedFirst: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ id: Number(query.id) });
      wx.showShareMenu({ withShareTicket: true, menus: ['shareAppMessage'] });
      void this.loadPage(true);
    },
    onShareAppMessage() {
      const title = cohortsStore.byId(this.data.id)?.title;
      return { title: title ? `看看大家在「${title}」的打卡` : '看看大家的打卡', path: `/pages/cohort/index?id=${this.data.id}` };
    },
    async onPullDownRefresh(): Promise<void> {
      await this.loadPage(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      if (this.data.nextCursor && !this.data.loading) void this.loadPage(false);
    },
    /** Retries what failed: a refresh refreshes, a next page loads that page. */
    onReload(): void {
      void this.loadPage(this.data.failedFirst || !this.data.loaded);
    },
    async loadPage(first: boolean): Promise<void> {
      if (this.data.loading) return;
      this.setData({ loading: true, errorMessage: '' });
      try {
        const page = await api.feed(this.data.id, { limit: FEED_PAGE_SIZE, before: first ? null : this.data.nextCursor });
        const views = page.items.map(itemView);
        showPage(this, 'items', views, first, page.nextCursor);
      } catch (error) {
        if (this.data.loaded) toastError(this, messageOf(error));
        this.setData({ errorMessage: messageOf(error), failedFirst: first });
      } finally {
        this.setData({ loading: false });
      }
    },
    onPreview(event: WechatMiniprogram.TouchEvent): void {
      const { index, url } = event.currentTarget.dataset as { index: number; url: string };
      wx.previewImage({ urls: this.data.items[index].images, current: url });
    },
  },
});
