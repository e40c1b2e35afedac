import type { CohortMetrics } from '../../../services/api-types';
import { messageOf } from '../../../utils/errors';
import { percent, priceLabel } from '../../../utils/money';
import { operatorApi } from '../../services/operator-api';
import { renderBarChart, type BarInput } from '../../utils/charts';

const ROUND_NAMES = ['', '第一轮', '第二轮', '第三轮'];

function minutes(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))}分钟`;
  return `${Math.round((seconds / 3600) * 10) / 10}小时`;
}

/** Day-by-day check-in rate (0..1) as bars. */
export function rateBars(metrics: CohortMetrics): BarInput[] {
  return metrics.checkinRateByDay.map((d) => ({ amount: d.rate, value: percent(d.rate), label: `${d.day}` }));
}

/** Members by longest streak as bars. */
export function streakBars(metrics: CohortMetrics): BarInput[] {
  return metrics.streakDistribution.map((b) => ({ amount: b.members, value: String(b.members), label: b.longestStreak }));
}

const SOURCE_NAMES: Record<string, string> = { poster: '海报扫码', card: '好友卡片', timeline: '朋友圈', group: '群聊卡片', all: '合计' };

/** The entry funnel: per source, opens -> visitors -> joined after opening -> first check-in. */
export function entryRows(m: CohortMetrics) {
  return [...m.entry.sources, m.entry.total].map((row) => ({
    key: row.source,
    name: SOURCE_NAMES[row.source] ?? row.source,
    cells: [row.opens, row.visitors, row.joins, row.firstCheckins].map(String),
    total: row.source === 'all',
  }));
}

function view(m: CohortMetrics) {
  return {
    title: m.title,
    tiles: [
      { key: 'enrolled', label: '报名', value: String(m.enrolled) },
      { key: 'active', label: '在读', value: String(m.active) },
      { key: 'completion', label: '完成率', value: percent(m.completionRate) },
      { key: 'quit', label: '退出率', value: percent(m.quitRate) },
      { key: 'checkins', label: '打卡数', value: String(m.checkins) },
      { key: 'review', label: '点评覆盖', value: percent(m.reviewCoverage) },
      { key: 'latency', label: '点评用时(中位)', value: minutes(m.medianReviewLatencySeconds) },
      { key: 'group', label: '群内打卡人数', value: String(m.groupVerifiedMembers) },
      { key: 'payers', label: '付费人数', value: String(m.payers) },
      { key: 'conversion', label: '转化率', value: percent(m.conversionRate) },
      { key: 'revenue', label: '营收', value: priceLabel(m.revenueFen) },
      { key: 'aov', label: '客单价', value: priceLabel(m.averageOrderValueFen) },
    ],
    days: m.checkinRateByDay.map((d) => ({ day: `第${d.day}天`, rate: percent(d.rate), checkins: `${d.checkins}人` })),
    streaks: m.streakDistribution.map((b) => ({ label: `${b.longestStreak}天`, members: `${b.members}人` })),
    entry: entryRows(m),
    entryRate: percent(m.entry.entryRate),
    inviters: m.topInviters.map((inviter, i) => ({
      rank: i + 1,
      name: inviter.member.nickname,
      line: `邀请 ${inviter.invited} · 加入 ${inviter.joined} · 打卡 ${inviter.checkedIn}`,
      points: `+${inviter.rewardPoints}`,
    })),
    rounds: m.rounds.map((r) => ({
      name: ROUND_NAMES[r.round] ?? `第${r.round}轮`,
      line: `浏览 ${r.offerViews} · 订单 ${r.orders} · 新增付费 ${r.newPayers} · 转化 ${percent(r.conversionRate)} · ${priceLabel(r.revenueFen)}`,
    })),
  };
}

/**
 * The cohort funnel: numbers, the daily check-in rate and the streak distribution as bar charts drawn on
 * 2D canvases, each with its numbers as text beside it, and the conversion rounds.
 */
Component({
  data: {
    id: 0,
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    metrics: null as ReturnType<typeof view> | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: Number(query.id) });
      void this.load();
    },
    async load() {
      try {
        const metrics = await operatorApi.metrics(this.data.id);
        wx.setNavigationBarTitle({ title: `${metrics.title} · 数据` });
        // The canvases exist once this render is done.
        await new Promise<void>((resolve) => this.setData({ metrics: view(metrics), state: 'ready' }, resolve));
        await this.drawCharts(metrics);
      } catch (error) {
        this.setData({ state: 'error', errorMessage: messageOf(error) });
      }
    },
    async drawCharts(metrics: CohortMetrics) {
      const streaks = streakBars(metrics);
      await Promise.all([
        renderBarChart(this, '#rate-chart', rateBars(metrics), 1, '#07c160'),
        renderBarChart(this, '#streak-chart', streaks, Math.max(1, ...streaks.map((s) => s.amount)), '#1989fa'),
      ]);
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onReload() {
      this.setData({ state: 'loading' });
      void this.load();
    },
  },
});
