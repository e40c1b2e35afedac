// Each state starts from empty stores (setup-each.ts resets the member's; these are the rest).
import { drawings } from './canvas';
import { NOW } from './fixtures';
import { mallStore } from '../../../miniprogram/stores/mall';
import { conversionStore } from '../../../miniprogram/packageOperator/stores/conversion';
import { reviewQueueStore } from '../../../miniprogram/packageTeacher/stores/review-queue';
import { templatesStore } from '../../../miniprogram/packageTeacher/stores/templates';

beforeEach(() => {
  drawings.clear();
  Object.assign(mallStore, { products: [], status: 'idle', errorMessage: '' });
  Object.assign(reviewQueueStore, { items: [], nextCursor: null, cohortId: null, status: 'idle', loadingMore: false, errorMessage: '' });
  Object.assign(reviewQueueStore, { counts: { pendingToday: 0, pendingTotal: 0, doneToday: 0 } });
  Object.assign(templatesStore, { items: [], loaded: false });
  Object.assign(conversionStore, { overview: {}, summaries: {} });
});

// The screens' clock: 2026-11-20 09:41 in Beijing, the time the status bar shows.
beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});
