import { api } from '../../services/api';
import type { Progress, ProgressDay } from '../../services/types';
import { pointsStore } from '../../stores/points';
import { shortDate, slashDate } from '../../utils/dates';
import { messageOf } from '../../utils/errors';
import { DAY_STATE_LABELS } from '../../utils/labels';
import { toastError } from '../../utils/toast';

function dayView(day: ProgressDay) {
  return {
    dayIndex: day.dayIndex,
    date: day.date,
    dateLabel: slashDate(day.date),
    state: day.state,
    stateLabel: DAY_STATE_LABELS[day.state] ?? day.state,
  };
}

function reviewsOf(days: ProgressDay[]) {
  return days
    .filter((day) => day.review)
    .map((day) => ({
      dayIndex: day.dayIndex,
      dateLabel: shortDate(day.date),
      teacher: day.review!.teacher.nickname,
      text: day.review!.text,
      audioUrl: day.review!.audioUrl ?? '',
      audioSeconds: day.review!.audioSeconds ?? 0,
    }));
}

/** My calendar for a cohort (`pages/cohort/progress?id=`; review notices open it). */
Component({
  data: {
    id: 0,
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    days: [] as ReturnType<typeof dayView>[],
    reviews: [] as ReturnType<typeof reviewsOf>,
    streak: { current: 0, longest: 0, total: 0 },
    makeUpsLeft: 0,
    makeUpCost: 0,
    balance: 0,
    running: false,
    makeUpDialog: false,
    makeUpMessage: '',
    makeUpDate: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ id: Number(query.id) });
    },
    // Reload on every show: coming back from a make-up changes the calendar.
    onShow(): void {
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load(): Promise<void> {
      try {
        const progress: Progress = await api.progress(this.data.id);
        pointsStore.setBalance(progress.balance);
        this.setData({
          state: 'ready',
          days: progress.days.map(dayView),
          reviews: reviewsOf(progress.days),
          streak: progress.streak,
          makeUpsLeft: progress.makeUpsLeft,
          makeUpCost: progress.makeUpCost,
          balance: progress.balance,
          running: progress.status === 'running',
        });
      } catch (error) {
        if (this.data.state === 'ready') toastError(this, messageOf(error));
        else this.setData({ state: 'error', errorMessage: messageOf(error) });
      }
    },
    onReload(): void {
      this.setData({ state: 'loading' });
      void this.load();
    },
    onTapDay(event: WechatMiniprogram.TouchEvent): void {
      const { state, date, day } = event.currentTarget.dataset as { state: string; date: string; day: number };
      if (state !== 'missed') return;
      if (!this.data.running) {
        toastError(this, '本期已结束，不能补卡了');
        return;
      }
      if (this.data.makeUpsLeft <= 0) {
        toastError(this, '本期的补卡次数已用完');
        return;
      }
      if (this.data.balance < this.data.makeUpCost) {
        toastError(this, `补卡需要 ${this.data.makeUpCost} 积分，当前积分 ${this.data.balance}`);
        return;
      }
      this.setData({
        makeUpDialog: true,
        makeUpDate: date,
        makeUpMessage: `补第${day}天（${shortDate(date)}）的卡将花费 ${this.data.makeUpCost} 积分，只得基础积分。本期还可补卡 ${this.data.makeUpsLeft} 次，当前积分 ${this.data.balance}。`,
      });
    },
    onConfirmMakeUp(): void {
      this.setData({ makeUpDialog: false });
      void wx.navigateTo({ url: `/pages/cohort/checkin?id=${this.data.id}&makeUpDate=${this.data.makeUpDate}` });
    },
    onCancelMakeUp(): void {
      this.setData({ makeUpDialog: false });
    },
  },
});
