import { makeAutoObservable } from 'mobx-miniprogram';
import { api } from '../services/api';
import type { CheckinResult, Cohort } from '../services/api-types';
import { loadInto, type LoadStatus } from './loading';

/** Cohorts shown on Home and in the detail page: joining on one shows on the other. */
export class CohortsStore {
  items: Cohort[] = [];
  status: LoadStatus = 'idle';
  errorMessage = '';

  constructor() {
    makeAutoObservable(this);
  }

  /** Mine first (running before the rest), as the server orders them (newest first). */
  get mine(): Cohort[] {
    return this.items.filter((c) => c.enrolled && c.status !== 'disbanded');
  }

  /** Cohorts I can still join. */
  get open(): Cohort[] {
    return this.items.filter((c) => !c.enrolled && (c.status === 'recruiting' || c.status === 'running'));
  }

  byId(id: number): Cohort | undefined {
    return this.items.find((c) => c.id === id);
  }

  load(): Promise<boolean> {
    return loadInto(this, () => api.cohorts(), ({ items }) => {
      this.items = items;
    });
  }

  /** Loads one cohort and keeps it in the list. Throws ApiError. */
  async fetch(id: number): Promise<Cohort> {
    const cohort = await api.cohort(id);
    this.put(cohort);
    return cohort;
  }

  put(cohort: Cohort): void {
    const index = this.items.findIndex((c) => c.id === cohort.id);
    this.items = index === -1 ? [...this.items, cohort] : this.items.map((c) => (c.id === cohort.id ? cohort : c));
  }

  /** Joins (idempotent on the server); throws ApiError. */
  async enroll(id: number): Promise<void> {
    await api.enroll(id);
    this.setEnrolled(id, true);
  }

  /** Leaves; throws ApiError. */
  async leave(id: number): Promise<void> {
    await api.leave(id);
    this.setEnrolled(id, false);
  }

  /** After today's check-in (or a make-up): Home and the cohort page show it done, with the new streak. */
  checkedIn(id: number, result: CheckinResult): void {
    const cohort = this.byId(id);
    if (!cohort) return;
    const makeUp = result.checkin.isMakeUp;
    this.put({
      ...cohort,
      me: {
        ...cohort.me,
        checkedInToday: cohort.me.checkedInToday || !makeUp,
        todayCheckinId: makeUp ? cohort.me.todayCheckinId : result.checkin.id,
        streak: result.streak,
        missedDays: Math.max(0, cohort.me.missedDays - (makeUp ? 1 : 0)),
        makeUpsLeft: Math.max(0, cohort.me.makeUpsLeft - (makeUp ? 1 : 0)),
      },
    });
  }

  private setEnrolled(id: number, enrolled: boolean): void {
    const cohort = this.byId(id);
    if (!cohort || cohort.enrolled === enrolled) return;
    this.put({
      ...cohort,
      enrolled,
      me: { ...cohort.me, enrolled },
      memberCount: Math.max(0, cohort.memberCount + (enrolled ? 1 : -1)),
    });
  }
}

export const cohortsStore = new CohortsStore();
