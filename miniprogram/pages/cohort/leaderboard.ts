import { api, mediaUrl } from '../../services/api';
import type { Leaderboard, LeaderboardMetric, PublicMember } from '../../services/api-types';
import { messageOf } from '../../utils/errors';

export const METRICS: { by: LeaderboardMetric; title: string; unit: string }[] = [
  { by: 'points', title: '积分', unit: '分' },
  { by: 'streak', title: '连续打卡', unit: '天' },
  { by: 'likes', title: '获赞', unit: '赞' },
];

function rowView(rank: number | null, member: PublicMember, value: number, unit: string, myId: number | null) {
  return {
    rank: rank ?? 0,
    rankLabel: rank === null ? '未上榜' : String(rank),
    medal: rank !== null && rank <= 3 ? `rank--${rank}` : '',
    name: member.nickname,
    initial: member.nickname.slice(0, 1),
    avatar: mediaUrl(member.avatarUrl),
    value: `${value} ${unit}`,
    mine: member.id === myId,
  };
}

type RowView = ReturnType<typeof rowView>;

function boardView(board: Leaderboard, unit: string) {
  const myId = board.me?.member.id ?? null;
  return {
    rows: board.items.map((item) => rowView(item.rank, item.member, item.value, unit, myId)),
    me: board.me ? rowView(board.me.rank, board.me.member, board.me.value, unit, myId) : null,
  };
}

/**
 * The cohort's leaderboard: tabs for points earned in it, current streak and likes received; the top
 * 50, and my own row kept in view at the bottom (with my rank even when I am not in the top 50).
 */
Component({
  data: {
    id: 0,
    metrics: METRICS,
    active: 0,
    state: 'loading' as 'loading' | 'error' | 'ready',
    message: '',
    rows: [] as RowView[],
    me: null as RowView | null,
    hint: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      const active = Math.max(0, METRICS.findIndex((m) => m.by === query.by));
      this.setData({ id: Number(query.id), active });
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onTab(event: WechatMiniprogram.TouchEvent): void {
      const index = Number(event.currentTarget.dataset.index);
      if (index === this.data.active) return;
      this.setData({ active: index });
      void this.load();
    },
    async load(): Promise<void> {
      const metric = METRICS[this.data.active as number];
      this.setData({ state: 'loading', message: '' });
      try {
        const board = await api.leaderboard(this.data.id, metric.by);
        const view = boardView(board, metric.unit);
        this.setData({ ...view, state: 'ready', hint: hintFor(metric.by) });
      } catch (error) {
        this.setData({ state: 'error', message: messageOf(error) });
      }
    },
  },
});

function hintFor(by: LeaderboardMetric): string {
  if (by === 'points') return '本期打卡赚到的积分；同分时先达到的排前面';
  if (by === 'streak') return '截至今天的连续打卡天数；今天还没打卡也算到昨天';
  return '本期打卡收到的赞；同样多时先达到的排前面';
}
