import { makeAutoObservable, runInAction } from 'mobx-miniprogram';
import type { QueueItem, ReviewQueue } from '../../services/api-types';
import { businessToday } from '../../utils/dates';
import { teacherApi } from '../services/teacher-api';
import { loadInto, type LoadStatus } from '../../stores/loading';

export const QUEUE_PAGE_SIZE = 20;

/** The teacher's review queue, oldest first; the review composer takes items out of it. */
export class ReviewQueueStore {
  items: QueueItem[] = [];
  counts: ReviewQueue['counts'] = { pendingToday: 0, pendingTotal: 0, doneToday: 0 };
  nextCursor: string | null = null;
  cohortId: number | null = null;
  status: LoadStatus = 'idle';
  loadingMore = false;
  errorMessage = '';

  constructor() {
    makeAutoObservable(this);
  }

  byId(checkinId: number): QueueItem | undefined {
    return this.items.find((item) => item.id === checkinId);
  }

  /** The check-in after this one in the queue (or the first other one). */
  nextAfter(checkinId: number): QueueItem | undefined {
    const index = this.items.findIndex((item) => item.id === checkinId);
    return this.items.slice(index + 1).find((item) => item.id !== checkinId) ?? this.items.find((item) => item.id !== checkinId);
  }

  /** The first page (for the current filter). */
  async load(): Promise<void> {
    await loadInto(this, () => teacherApi.reviewQueue({ cohortId: this.cohortId, limit: QUEUE_PAGE_SIZE }), (page) => {
      this.items = page.items;
      this.counts = page.counts;
      this.nextCursor = page.nextCursor;
    });
  }

  /** The next page, after the last item shown; throws ApiError. */
  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore) return;
    this.loadingMore = true;
    try {
      const page = await teacherApi.reviewQueue({ cohortId: this.cohortId, limit: QUEUE_PAGE_SIZE, after: this.nextCursor });
      runInAction(() => {
        const known = new Set(this.items.map((item) => item.id));
        this.items = [...this.items, ...page.items.filter((item) => !known.has(item.id))];
        this.counts = page.counts;
        this.nextCursor = page.nextCursor;
      });
    } finally {
      runInAction(() => {
        this.loadingMore = false;
      });
    }
  }

  setFilter(cohortId: number | null): Promise<void> {
    this.cohortId = cohortId;
    return this.load();
  }

  /** A reviewed check-in leaves the queue; today's counts follow. */
  reviewed(checkinId: number): void {
    const item = this.byId(checkinId);
    if (!item) return;
    this.items = this.items.filter((i) => i.id !== checkinId);
    const today = item.date === businessToday();
    this.counts = {
      pendingToday: Math.max(0, this.counts.pendingToday - (today ? 1 : 0)),
      pendingTotal: Math.max(0, this.counts.pendingTotal - 1),
      doneToday: this.counts.doneToday + 1,
    };
  }

  setFeatured(checkinId: number, featured: boolean): void {
    this.items = this.items.map((item) => (item.id === checkinId ? { ...item, featured } : item));
  }
}

export const reviewQueueStore = new ReviewQueueStore();
