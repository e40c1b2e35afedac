import type { CohortStatus, DayState } from '../services/api-types';

const REASONS: Record<string, string> = {
  checkin: '打卡',
  group_bonus: '群内打卡加倍',
  streak_bonus: '连续打卡奖励',
  completion_bonus: '全勤奖励',
  make_up_fee: '补卡',
  redemption: '兑换商品',
  redemption_refund: '兑换退回',
  adjustment: '积分调整',
  invite_reward: '邀请好友奖励',
};

/** A ledger or award reason in Chinese; an unknown reason is shown as-is. */
export function reasonLabel(reason: string): string {
  return REASONS[reason] ?? reason;
}

/** `+10` / `-20`. */
export function signedPoints(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}

export interface StatusTag {
  label: string;
  type: 'primary' | 'success' | 'warning' | 'danger' | 'default';
}

const STATUS: Record<CohortStatus, StatusTag> = {
  recruiting: { label: '报名中', type: 'primary' },
  running: { label: '进行中', type: 'success' },
  converting: { label: '已结束', type: 'warning' },
  disbanded: { label: '已解散', type: 'default' },
};

export function statusTag(status: CohortStatus): StatusTag {
  return STATUS[status] ?? { label: status, type: 'default' };
}

export const DAY_STATE_LABELS: Record<DayState, string> = {
  done: '已打卡',
  'made-up': '已补卡',
  missed: '缺卡',
  today: '今天',
  upcoming: '未开始',
};
