import { api, mediaUrl } from '../../services/api';
import type { Checkin, Progress, ProgressDay } from '../../services/api-types';
import { cohortsStore } from '../../stores/cohorts';
import { inviteStore } from '../../stores/invite';
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
    checkinId: day.checkinId ?? 0,
    prompt: day.prompt ?? '',
  };
}

/** My check-in of one day, in the sheet that opens from the calendar. */
function entryCheckinView(checkin: Checkin) {
  return {
    text: checkin.text,
    images: checkin.imageUrls.map((url) => mediaUrl(url)),
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

const CLOSED_ENTRY = { show: false, loading: false, error: '', dayIndex: 0, dateLabel: '', madeUp: false, prompt: '', checkin: null as ReturnType<typeof entryCheckinView> | null };

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
    entry: CLOSED_ENTRY,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ id: Number(query.id) });
      wx.showShareMenu({ withShareTicket: true, menus: ['shareAppMessage'] });
      void inviteStore.ensureCode(Number(query.id));
    },
    onShareAppMessage() {
      const title = cohortsStore.byId(this.data.id)?.title;
      const streak = this.data.streak.current;
      return {
        title: streak > 1 ? `我已连续打卡${streak}天${title ? `：${title}` : ''}，一起来吧` : `一起来打卡${title ? `：${title}` : ''}`,
        path: inviteStore.sharePath(this.data.id),
      };
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
      const { state, date, day, checkin } = event.currentTarget.dataset as { state: string; date: string; day: number; checkin: number };
      if (state === 'today') {
        if (this.data.running) void wx.navigateTo({ url: `/pages/cohort/checkin?id=${this.data.id}` });
        return;
      }
      if ((state === 'done' || state === 'made-up') && checkin) {
        void this.openEntry(Number(day), Number(checkin));
        return;
      }
      if (state === 'upcoming') {
        toastError(this, `第${day}天还没开始，${shortDate(date)}再来打卡`);
        return;
      }
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
    /** A done day shows my own check-in of that day (GET /checkins/:id), with the teacher's review. */
    async openEntry(dayIndex: number, checkinId: number): Promise<void> {
      const day = this.data.days.find((d) => d.dayIndex === dayIndex);
      this.setData({
        entry: { ...CLOSED_ENTRY, show: true, loading: true, dayIndex, dateLabel: day ? shortDate(day.date) : '', madeUp: day?.state === 'made-up', prompt: day?.prompt ?? '' },
      });
      try {
        const checkin = await api.checkin(checkinId);
        if (this.data.entry.dayIndex === dayIndex) this.setData({ 'entry.loading': false, 'entry.checkin': entryCheckinView(checkin) });
      } catch (error) {
        this.setData({ 'entry.loading': false, 'entry.error': messageOf(error) });
      }
    },
    onCloseEntry(): void {
      this.setData({ 'entry.show': false });
    },
    onPreviewEntry(event: WechatMiniprogram.TouchEvent): void {
      wx.previewImage({ urls: this.data.entry.checkin?.images ?? [], current: String(event.currentTarget.dataset.url) });
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
