import { makeAutoObservable, runInAction } from 'mobx-miniprogram';
import type { ConversionSummary, MetricsOverviewItem } from '../../services/api-types';
import { operatorApi } from '../services/operator-api';

/**
 * What the operator pages share about cohorts beyond the cohort itself: the funnel numbers of the overview
 * and each cohort's conversion summary (whether it is ready to disband). The list shows the badges, the
 * cohort page publishes offers and disbands, and both stay in step.
 */
export class ConversionStore {
  overview: Record<number, MetricsOverviewItem> = {};
  summaries: Record<number, ConversionSummary> = {};

  constructor() {
    makeAutoObservable(this);
  }

  /** GET /metrics/overview; throws ApiError. */
  async loadOverview(): Promise<void> {
    const { items } = await operatorApi.overview();
    runInAction(() => {
      const overview: Record<number, MetricsOverviewItem> = {};
      for (const item of items) overview[item.cohortId] = item;
      this.overview = overview;
    });
  }

  /** GET /cohorts/:id/conversion; throws ApiError. */
  async loadSummary(cohortId: number): Promise<ConversionSummary> {
    const summary = await operatorApi.conversion(cohortId);
    runInAction(() => {
      this.summaries = { ...this.summaries, [cohortId]: summary };
    });
    return summary;
  }

  disbandReady(cohortId: number): boolean {
    return this.summaries[cohortId]?.disbandReady ?? false;
  }

  forget(cohortId: number): void {
    const summaries = { ...this.summaries };
    delete summaries[cohortId];
    this.summaries = summaries;
  }
}

export const conversionStore = new ConversionStore();
