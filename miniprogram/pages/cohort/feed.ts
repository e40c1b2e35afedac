import { api } from '../../services/api';
import { cohortsStore } from '../../stores/cohorts';
import { inviteStore } from '../../stores/invite';
import { noticeView, type NoticeView } from '../../utils/announcements';
import { checkinView, toggleLike, type CheckinView } from '../../utils/checkin-view';
import { messageOf } from '../../utils/errors';
import { toastError } from '../../utils/toast';
import { showPage } from '../../utils/paging';

export const FEED_PAGE_SIZE = 10;

/**
 * The cohort's feed: the teacher's featured check-ins first, then the newest. Pages are appended with path keys (`items[n]`): a long feed is never
 * sent to the view layer again.
 */
Component({
  data: {
    id: 0,
    items: [] as CheckinView[],
    /** Today's announcements from the staff, above the check-ins (as on the cohort page). */
    todaysNotices: [] as NoticeView[],
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
      void inviteStore.ensureCode(Number(query.id));
      void this.loadPage(true);
    },
    onShareAppMessage() {
      const title = cohortsStore.byId(this.data.id)?.title;
      return { title: title ? `看看大家在「${title}」的打卡` : '看看大家的打卡', path: inviteStore.sharePath(this.data.id) };
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
      if (first) void this.loadNotices();
      try {
        const page = await api.feed(this.data.id, { limit: FEED_PAGE_SIZE, before: first ? null : this.data.nextCursor });
        const views = page.items.map(checkinView);
        showPage(this, 'items', views, first, page.nextCursor);
      } catch (error) {
        if (this.data.loaded) toastError(this, messageOf(error));
        this.setData({ errorMessage: messageOf(error), failedFirst: first });
      } finally {
        this.setData({ loading: false });
      }
    },
    /** A failure just shows none: the feed works without them. */
    async loadNotices(): Promise<void> {
      try {
        const { items } = await api.todaysAnnouncements(this.data.id);
        this.setData({ todaysNotices: items.map(noticeView) });
      } catch {
        this.setData({ todaysNotices: [] });
      }
    },
    /** Shown at once; rolled back with a message when the server refuses or cannot be reached. */
    onLike(event: WechatMiniprogram.TouchEvent): void {
      const index = Number(event.currentTarget.dataset.index);
      const item = (this.data.items as CheckinView[])[index];
      if (!item) return;
      if (item.mine) {
        toastError(this, item.likeCount ? `${item.likeCount} 人赞了你的打卡` : '还没有人点赞，继续加油');
        return;
      }
      toggleLike(item.id, { liked: item.liked, likeCount: item.likeCount }, (state) =>
        this.setData({ [`items[${index}].liked`]: state.liked, [`items[${index}].likeCount`]: state.likeCount }),
      ).catch((error: unknown) => toastError(this, messageOf(error)));
    },
    onOpenPost(event: WechatMiniprogram.TouchEvent): void {
      void wx.navigateTo({ url: `/pages/cohort/post?id=${Number(event.currentTarget.dataset.id)}` });
    },
    onPreview(event: WechatMiniprogram.TouchEvent): void {
      const { index, url } = event.currentTarget.dataset as { index: number; url: string };
      wx.previewImage({ urls: this.data.items[index].images, current: url });
    },
  },
});
